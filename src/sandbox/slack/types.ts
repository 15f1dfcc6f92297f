// What the Slack webhook simulator accepts and keeps.

export type SlackMode = 'ok' | 'rate-limited' | 'no_service' | 'archived';

export interface SlackWebhookBody {
  text?: string;
  blocks?: unknown[];
  [key: string]: unknown;
}

export interface SlackMessage {
  /** ms since epoch */
  receivedAt: number;
  body: SlackWebhookBody;
}
