//! Progress of a long export or import, for a progress bar.

/// How far an export or import has got (the UI's `Progress`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Messages handled so far.
    pub done: u64,
    /// Messages in all.
    pub total: u64,
}

/// Messages between two progress reports: often enough for a smooth bar,
/// rarely enough to cost nothing.
pub(crate) const PROGRESS_STEP: u64 = 512;

/// Calls `report` every [`PROGRESS_STEP`] messages and at the end.
pub(crate) struct Reporter<'a> {
    report: &'a mut dyn FnMut(Progress),
    progress: Progress,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(total: u64, report: &'a mut dyn FnMut(Progress)) -> Self {
        let progress = Progress { done: 0, total };
        report(progress);
        Self { report, progress }
    }

    /// One more message handled.
    pub(crate) fn step(&mut self) {
        self.progress.done += 1;
        if self.progress.done.is_multiple_of(PROGRESS_STEP) {
            (self.report)(self.progress);
        }
    }

    /// The last report: everything handled.
    pub(crate) fn finish(self) {
        let mut progress = self.progress;
        progress.total = progress.total.max(progress.done);
        (self.report)(progress);
    }
}
