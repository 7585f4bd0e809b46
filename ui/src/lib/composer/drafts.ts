// Unsent drafts by channel id. They outlive the composer, so a draft survives
// switching channels; MainScreen clears them when the profile locks, so nothing
// typed stays in the page's memory.

export const drafts = new Map<string, string>();
