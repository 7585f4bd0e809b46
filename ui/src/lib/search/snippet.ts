// Search snippets mark matched words with \u0002 … \u0003; split them into
// text runs so the template can wrap matches in <mark> without raw HTML.

export interface Run {
  text: string;
  match: boolean;
}

export function snippetRuns(snippet: string): Run[] {
  const runs: Run[] = [];
  let match = false;
  let buf = '';
  for (const ch of snippet) {
    if (ch === '\u0002' || ch === '\u0003') {
      if (buf) runs.push({ text: buf, match });
      buf = '';
      match = ch === '\u0002';
    } else {
      buf += ch;
    }
  }
  if (buf) runs.push({ text: buf, match });
  return runs;
}
