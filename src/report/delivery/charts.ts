import { escapeHtml } from '../../util/untrusted-text.js';
import { STATUS_BUCKETS, STATUS_LABELS, type AgeBucket, type StatusBucket } from './report-model.js';

// The report's pictures as inline SVG, drawn by pure functions: no script, no library, nothing to
// fetch, and a test can read every bar's size. Colours come from CSS classes (html-page.ts).

const BAR_WIDTH = 600;
const BAR_HEIGHT = 18;

/**
 * One stacked bar of a stream's items by status, widths proportional to the counts; each segment
 * the counts in its tooltip. An empty stream is an empty grey bar, not a division by zero.
 */
export function statusBar(byStatus: Readonly<Record<StatusBucket, number>>, label: string): string {
  const total = STATUS_BUCKETS.reduce((n, b) => n + byStatus[b], 0);
  let x = 0;
  const segments = STATUS_BUCKETS.filter((b) => byStatus[b] > 0).map((bucket) => {
    const width = (byStatus[bucket] / total) * BAR_WIDTH;
    const rect = `<rect class="s-${bucket}" x="${round(x)}" y="0" width="${round(width)}" height="${BAR_HEIGHT}"/>`;
    x += width;
    return rect;
  });
  const summary = STATUS_BUCKETS.map((b) => `${STATUS_LABELS[b]} ${byStatus[b]}`).join(', ');
  // One title for the bar, its tooltip and accessible name (a title per segment would double its size, and a large
  // report has a bar per stream).
  return (
    `<svg class="bar" viewBox="0 0 ${BAR_WIDTH} ${BAR_HEIGHT}" preserveAspectRatio="none" role="img">` +
    `<title>${escapeHtml(`${label}: ${summary}`)}</title><rect class="empty" width="${BAR_WIDTH}" height="${BAR_HEIGHT}"/>${segments.join('')}</svg>`
  );
}

const HIST_WIDTH = 360;
const HIST_HEIGHT = 150;
const AXIS = 32; // room for the bucket labels below the bars
const TOP = 16; // room for the count above the highest bar

/** Open items by age: one bar per bucket, heights proportional to the largest bucket, counts above. */
export function ageHistogram(buckets: readonly AgeBucket[], label: string): string {
  const most = Math.max(1, ...buckets.map((b) => b.count));
  const slot = HIST_WIDTH / buckets.length;
  const plot = HIST_HEIGHT - AXIS - TOP;
  const bars = buckets.map((bucket, i) => {
    const height = (bucket.count / most) * plot;
    const x = i * slot + slot * 0.15;
    const y = TOP + plot - height;
    const centre = round(i * slot + slot / 2);
    return (
      `<rect class="age" x="${round(x)}" y="${round(y)}" width="${round(slot * 0.7)}" height="${round(height)}"><title>${escapeHtml(bucket.label)}: ${bucket.count}</title></rect>` +
      `<text x="${centre}" y="${round(y - 4)}" text-anchor="middle">${bucket.count}</text>` +
      `<text x="${centre}" y="${HIST_HEIGHT - AXIS + 14}" text-anchor="middle" class="axis">${escapeHtml(bucket.label)}</text>`
    );
  });
  const summary = buckets.map((b) => `${b.label} ${b.count}`).join(', ');
  return (
    `<svg class="hist" viewBox="0 0 ${HIST_WIDTH} ${HIST_HEIGHT}" role="img" aria-label="${escapeHtml(`${label}: ${summary}`)}">` +
    `<line x1="0" x2="${HIST_WIDTH}" y1="${TOP + plot}" y2="${TOP + plot}" class="baseline"/>${bars.join('')}</svg>`
  );
}

const round = (n: number): number => Math.round(n * 10) / 10;
