import type { ReportFormat } from '../../config/schema.js';
import { jsonText } from '../../util/untrusted-text.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import type { DeliveryReport } from './report-model.js';

/** The report in one of its formats; JSON is the model itself (docs/schemas/report.schema.json). */
export function renderReport(report: DeliveryReport, format: ReportFormat): string {
  switch (format) {
    case 'html':
      return renderHtml(report);
    case 'md':
      return renderMarkdown(report);
    case 'json':
      return `${jsonText(report, 2)}\n`;
  }
}
