/// <reference lib="dom" />
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccountsReport } from '../../../lib/cost/accountsReport.js';
import { renderCostHtml } from '../../../lib/cost/html.js';
import { renderAccountsHtml } from '../../../lib/cost/htmlAccounts.js';
import { buildCostReport, withRootCauses } from '../../../lib/cost/report.js';
import { CHROMIUM_ARGS, chromiumOrSkip } from '../../support/chromium.js';
import { linkedServices, type Organization } from '../../unit/cost/fixtures/linked.js';
import { steady, weekly } from '../../unit/cost/fixtures/series.js';
import { buildUsageResponse } from '../../unit/cost/fixtures/usage.js';

const OPTIONS = { days: 30, minImpactUsd: 25, minImpactPct: 25, dailyBudgetUsd: 100, monthlyBudgetUsd: 2000 };
const RANGE = { start: '2026-03-17', days: 90, estimated: 2 };
const SPIKE = 87;

// EC2 jumps on new p4d instances in Tokyo and on more m5 hours; S3 on its requests.
const USAGE = {
  'Amazon Elastic Compute Cloud - Compute': {
    'BoxUsage:m5.large': (i: number, d: Date) => weekly(30, 0.5)(i, d) * (i === SPIKE ? 2 : 1),
    'APN1-BoxUsage:p4d.24xlarge': (i: number) => (i === SPIKE ? 300 : 0),
    'EBS:VolumeUsage.gp3': steady(5, 2),
  },
  'Amazon Simple Storage Service': {
    'Requests-Tier1': (i: number) => steady(4, 3)(i) * (i === SPIKE ? 12 : 1),
    'TimedStorage-ByteHrs': steady(6, 4),
  },
};

const ORG: Organization = {
  '111111111111': USAGE,
  '222222222222': { 'Amazon Relational Database Service': { 'InstanceUsage:db.r6g.large': steady(40, 5) } },
};

interface Rendered {
  errors: string[];
  requests: string[];
  svgs: { cls: string; width: number; height: number }[];
  layers: number;
  marks: number;
  rows: number;
  figures: number;
  /** Whether each stacked chart sits to the right of its service chart, on the same line. */
  beside: boolean[];
}

async function open(browser: Browser, file: string): Promise<Rendered> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const rendered = await page.evaluate(() => ({
    svgs: Array.from(document.querySelectorAll('svg')).map((s) => {
      const box = s.getBoundingClientRect();
      return { cls: s.getAttribute('class') ?? '', width: box.width, height: box.height };
    }),
    layers: Array.from(document.querySelectorAll('rect.layer')).filter(
      (r) => r.getBoundingClientRect().height > 0,
    ).length,
    marks: document.querySelectorAll('svg.series circle').length,
    rows: document.querySelectorAll('section.accounts tr').length,
    figures: document.querySelectorAll('figure.rootcause').length,
    beside: Array.from(document.querySelectorAll('section.anomaly')).flatMap((section) => {
      const series = section.querySelector('svg.series')?.getBoundingClientRect();
      return Array.from(section.querySelectorAll('svg.stacked')).map((svg) => {
        const box = svg.getBoundingClientRect();
        return series !== undefined && box.left >= series.right && Math.abs(box.top - series.top) < 1;
      });
    }),
  }));
  await page.close();
  return { errors, requests, ...rendered };
}

describe('HTML cost report in headless Chromium', () => {
  let browser: Browser | undefined;
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'warden-html-'));
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function launch(ctx: { skip(note?: string): void }): Promise<Browser> {
    const executablePath = chromiumOrSkip(ctx);
    browser ??= await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    return browser;
  }

  it('renders each anomaly with its root-cause chart beside it, without console errors or requests', async (ctx) => {
    // Prepare
    const b = await launch(ctx);
    const usage = buildUsageResponse({ ...RANGE, services: USAGE });
    const report = withRootCauses(buildCostReport(usage, OPTIONS), usage, OPTIONS);
    const file = join(dir, 'service.html');
    writeFileSync(file, renderCostHtml(report));

    // Act
    const page = await open(b, file);

    // Assess: projection + 2 services, each with one root-cause chart, every one drawn with a size
    expect(page.errors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(report.rootCauses.map((r) => r.series).sort()).toEqual([
      'Amazon Elastic Compute Cloud - Compute',
      'Amazon Simple Storage Service',
    ]);
    expect(page.svgs.map((s) => s.cls)).toEqual(['', 'series', 'stacked', 'series', 'stacked']);
    for (const svg of page.svgs) {
      expect(svg.width).toBeGreaterThan(100);
      expect(svg.height).toBeGreaterThan(50);
    }
    expect(page.figures).toBe(2);
    expect(page.beside).toEqual([true, true]); // at Playwright's default 1280 × 720
    expect(page.marks).toBe(2);
    // Every day of both stacked charts has at least one visible layer (30 days each)
    expect(page.layers).toBeGreaterThanOrEqual(60);
    const ec2 = report.rootCauses.find((r) => r.series.startsWith('Amazon Elastic'))!;
    expect(ec2.breakdown.layers[0]).toBe('APN1-BoxUsage:p4d.24xlarge');
  });

  it('renders the per-account view: a row per account with its sparkline, and the anomalies by account', async (ctx) => {
    // Prepare
    const b = await launch(ctx);
    const report = buildAccountsReport(
      linkedServices(ORG, RANGE),
      OPTIONS,
      new Map([['111111111111', 'prod']]),
    );
    const file = join(dir, 'accounts.html');
    writeFileSync(file, renderAccountsHtml(report));

    // Act
    const page = await open(b, file);

    // Assess
    expect(page.errors).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.rows).toBe(3); // header + 2 accounts
    expect(page.svgs.filter((s) => s.cls === 'spark')).toHaveLength(2);
    expect(page.svgs.filter((s) => s.cls === 'series')).toHaveLength(2);
    for (const svg of page.svgs) expect(svg.width * svg.height).toBeGreaterThan(0);
  });
});

describe('Function: chromiumOrSkip', () => {
  const absent = { WARDEN_CHROMIUM: join(tmpdir(), 'no-such-chromium') };

  it('skips with a notice where the browser is optional, and fails where CI requires it', () => {
    // Prepare
    const skipped: string[] = [];
    const ctx = { skip: (note?: string) => void skipped.push(note ?? '') };

    // Act
    chromiumOrSkip(ctx, absent);
    const required = () => chromiumOrSkip(ctx, { ...absent, WARDEN_REQUIRE_CHROMIUM: '1' });

    // Assess
    expect(skipped).toEqual([expect.stringContaining('was NOT opened in a browser')]);
    expect(required).toThrow(/WARDEN_REQUIRE_CHROMIUM=1 requires it/);
    expect(skipped).toHaveLength(1);
  });
});
