import ora from 'ora';
import type { ProgressEvent } from '../../model/progress.js';
import { finishedLine, phaseKey, runningLine } from '../../report/format-progress.js';
import { printableLines } from '../../util/untrusted-text.js';
import type { ProgressDisplay } from './display.js';

/**
 * The live display on a terminal (ora): one spinner line naming every phase under way with its
 * counts and rate (the reads run side by side, a level's follow-ups while the next level is
 * created), and a ✔ line per phase finished. The spinner turns even when no event comes (a long
 * wait for Jira), so the screen never looks stuck.
 */
export function terminalProgress(stream: NodeJS.WriteStream): ProgressDisplay {
  // No hidden cursor (its restore hooks signals, which src/cli/interrupts.ts owns); stdin untouched.
  const spinner = ora({ stream, hideCursor: false, discardStdin: false });
  const running = new Map<string, { startedAt: number; line: string }>();
  const refresh = () => {
    const text = printableLines([[...running.values()].map((r) => r.line).join(' · ')]);
    if (!running.size) spinner.stop();
    else if (spinner.isSpinning) spinner.text = text;
    else spinner.start(text);
  };
  const listener = (event: ProgressEvent) => {
    const key = phaseKey(event.phase);
    if (event.kind === 'finished') {
      running.delete(key);
      spinner.succeed(printableLines([finishedLine(event)]));
    } else {
      const startedAt = event.kind === 'started' ? event.at : (running.get(key)?.startedAt ?? event.at);
      running.set(key, { startedAt, line: runningLine(event, startedAt) });
    }
    refresh();
  };
  return {
    listener,
    print(write) {
      const spinning = spinner.isSpinning;
      if (spinning) spinner.clear();
      write();
      if (spinning) spinner.render();
    },
    close: () => spinner.stop(),
  };
}
