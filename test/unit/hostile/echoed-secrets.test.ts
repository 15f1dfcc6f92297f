import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileServer, type HostileServer } from '../../../scripts/hostile-server.js';
import { statusCommand } from '../../../src/cli/commands/status.js';
import type { CliIo } from '../../../src/cli/context.js';
import { Ledger } from '../../../src/ledger/ledger.js';
import { createLogger } from '../../../src/log/logger.js';
import { VirtualClock } from '../../../src/util/clock.js';
import { scrubSecrets, secretForms } from '../../../src/util/secrets.js';
import { configFor, servicesFor, TOKENS } from '../../helpers/hostile-config.js';
import { startInProcess } from '../../helpers/in-process.js';

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server that refuses every request and quotes its Authorization header back, as in the review's repro. */
async function echoServer(status: number) {
  const server = await startHostileServer([
    {
      match: /.*/,
      answer: { kind: 'reply', status, body: (req) => `Unauthorized: header Authorization: ${req.authorization} was refused` },
    },
  ]);
  servers.push(server);
  return server;
}

const basic = Buffer.from(`${TOKENS.JIRA_EMAIL}:${TOKENS.JIRA_API_TOKEN}`).toString('base64');
/** Every form in which our credentials could show: none may appear in any output. */
const leaks = (text: string) =>
  [TOKENS.PRODUCTBOARD_TOKEN, TOKENS.JIRA_API_TOKEN, basic, basic.slice(0, 20)].filter((secret) => text.includes(secret));

function capture(env: Record<string, string>): CliIo & { out: string[] } {
  const out: string[] = [];
  return { out, stdout: (t) => out.push(t), stderr: (t) => out.push(t), env, cwd: process.cwd() };
}

describe('issue 10 M1: secrets echoed by vendors', () => {
  it('the scrubber knows every form: raw tokens, the Basic header value, Bearer and Authorization-looking text, and keeps JSON valid', () => {
    const forms = secretForms({
      values: [TOKENS.PRODUCTBOARD_TOKEN, 'https://hooks.slack.com/services/T0/B0/abcdef123456'],
      basic: [{ user: TOKENS.JIRA_EMAIL, password: TOKENS.JIRA_API_TOKEN }],
    });
    expect(forms).toContain(basic);
    expect(forms).toContain('/services/T0/B0/abcdef123456');
    const text = [
      `token ${TOKENS.PRODUCTBOARD_TOKEN}`,
      `got ${basic} back`,
      'Bearer someOtherToken123',
      'Authorization: Basic Zm9vOmJhcjEyMw==',
      'proxy-authorization=xyz',
      'posted to /services/T0/B0/abcdef123456',
    ].join(' | ');
    expect(scrubSecrets(text, forms)).toBe(
      'token [redacted] | got [redacted] back | Bearer [redacted] | Authorization: [redacted] | proxy-authorization=[redacted] | posted to [redacted]',
    );
    const json = JSON.stringify({ headers: { authorization: 'Bearer abc.def-123' }, note: 'Basic information; Unauthorized' });
    expect(JSON.parse(scrubSecrets(json, []))).toEqual({
      headers: { authorization: '[redacted]' },
      note: 'Basic information; Unauthorized',
    });
  });

  it('a Jira 401 echoing the Authorization header: the error says what happened, without the Basic credential', async () => {
    const server = await echoServer(401);
    const services = servicesFor(configFor({ jira: server.url }), new VirtualClock());
    const error = (await services.jira.project().catch((e: unknown) => e)) as Error;
    expect(server.requests[0]!.authorization).toBe(`Basic ${basic}`);
    expect(error).toMatchObject({ kind: 'auth' });
    expect(error.message).toBe('Jira rejected the credentials (HTTP 401): Unauthorized: header Authorization: [redacted] was refused');
  });

  it('a Productboard 403 echo: the run record in the ledger, status and status --json never show the token', async () => {
    const server = await echoServer(403);
    const run = await startInProcess({}, () => ({ PRODUCTBOARD_API_URL: server.url }));
    try {
      await expect(run.sync()).rejects.toMatchObject({ kind: 'permission' });
      const ledger = Ledger.openReadOnly(run.config.ledgerPath)!;
      const [record] = ledger.recentRuns(1);
      ledger.close();
      expect(record).toMatchObject({ outcome: 'failed', error: expect.stringContaining('Authorization: [redacted] was refused') });
      expect(leaks(record!.error!)).toEqual([]);
      for (const json of [false, true]) {
        const io = capture({ PB_JIRA_SYNC_LEDGER: run.config.ledgerPath });
        expect(await statusCommand(io, { json, limit: 5 })).toBe(0);
        expect(io.out.join('\n')).toContain('[redacted]');
        expect(leaks(io.out.join('\n'))).toEqual([]);
      }
    } finally {
      await run.close();
    }
  });

  it('status scrubs what an older version stored unscrubbed, knowing the secrets from the environment when they are set', async () => {
    const run = await startInProcess();
    try {
      await run.sync();
      const ledger = Ledger.open(run.config.ledgerPath);
      ledger.startRun('old', 'sync', 1);
      ledger.db
        .prepare("UPDATE runs SET outcome = 'failed', ended_at = 2, error = ? WHERE id = 'old'")
        .run(`error [auth] Jira: echo ${basic} and token ${TOKENS.PRODUCTBOARD_TOKEN} and Bearer ${TOKENS.PRODUCTBOARD_TOKEN}`);
      ledger.close();
      const env = { ...run.sandbox.env(), ...TOKENS, PB_JIRA_SYNC_LEDGER: run.config.ledgerPath };
      const io = capture(env);
      await statusCommand(io, { limit: 5 });
      expect(io.out.join('\n')).toContain('echo [redacted] and token [redacted]');
      expect(leaks(io.out.join('\n'))).toEqual([]);
    } finally {
      await run.close();
    }
  });

  it('log lines are scrubbed of credential-looking headers even when no secret is configured', () => {
    let written = '';
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const logger = createLogger({ destination, level: 'info' });
    logger.warn({ error: `Jira said: Authorization: Basic ${basic}` }, 'http request failed');
    expect(JSON.parse(written)).toMatchObject({ error: 'Jira said: Authorization: [redacted]', msg: 'http request failed' });
  });
});
