import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium, which `.ci/run` installs (never a downloaded browser). */
export const chromiumPath = '/usr/bin/chromium';

export const haveChromium = existsSync(chromiumPath);

/** A page opened from a file, with what it logged as an error and every request it made. */
export interface OpenedPage {
  readonly page: Page;
  readonly errors: string[];
  /** Requests other than the page's own file (there should be none: the report is offline). */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Opens an HTML file in headless chromium, recording console errors, page errors and requests. */
export async function openFile(path: string): Promise<OpenedPage> {
  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const url = pathToFileURL(path).href;
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests, close: () => browser.close() };
}
