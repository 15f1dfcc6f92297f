/// <reference lib="dom" />
import { pathToFileURL } from 'node:url';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser } from 'puppeteer-core';

// The headless Chromium that @sparticuz/chromium carries in its npm package, driven by
// puppeteer-core: for the bench's render time of the report and the README's screenshot.

export async function withBrowser<T>(work: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await puppeteer.launch({ executablePath: await chromium.executablePath(), args: chromium.args, headless: true });
  try {
    return await work(browser);
  } finally {
    await browser.close();
  }
}

export interface RenderTiming {
  /** From the page's navigation start to its first frame after the load event, by the page's own clock. */
  firstFrameMs: number;
  /** The same seen from outside: from asking for the page to that frame (includes driving the browser). */
  wallMs: number;
}

/** Opens a report file in a fresh page at desktop size and times its first render. */
export function renderTiming(browser: Browser, file: string): Promise<RenderTiming> {
  return (async () => {
    const page = await browser.newPage();
    try {
      await page.setViewport({ width: 1280, height: 900 });
      const started = Date.now();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 120_000 });
      // A frame after load: style, layout and paint of the whole document are done.
      const firstFrameMs = await page.evaluate(
        () => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now()))),
      );
      return { firstFrameMs, wallMs: Date.now() - started };
    } finally {
      await page.close();
    }
  })();
}
