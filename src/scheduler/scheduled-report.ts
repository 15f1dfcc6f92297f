import { headline, type Pass } from '../engine/pass.js';
import type { World } from '../engine/read-world.js';
import { readReport } from '../report/delivery/read-report.js';
import { renderReport } from '../report/delivery/render-report.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { scrubSecrets } from '../util/secrets.js';

/**
 * After a scheduled pass: the delivery report at `report.out`, from the reconcile's complete read
 * (no read of its own), replaced atomically so a reader never sees half a file. A report that
 * cannot be written is logged and the pass goes on: it is a view of the work, not the work.
 */
export async function writeScheduledReport(pass: Pass, world: World): Promise<void> {
  const { out, format } = pass.config.report;
  if (!out) return;
  try {
    const report = await readReport(pass, world);
    writeFileAtomic(out, scrubSecrets(renderReport(report, format), pass.config.secrets));
    pass.logger.info({ out, format, streams: report.streams.length, items: report.totals.items }, 'report written');
  } catch (error) {
    pass.logger.error({ out, error: headline(error, pass.config.secrets) }, 'report not written');
  }
}
