// JUnit XML for CI: one testsuite per scenario, one testcase per seed × assertion, failures with a message.

export interface JunitCase {
  /** e.g. `seed 1: leaders.etcd.maxLeaderlessSeconds <= 2.5`. */
  name: string;
  pass: boolean;
  /** Not judged (e.g. no golden trace yet): reported as <skipped/>. */
  skipped?: boolean;
  /** Why it failed (one line), and more text for the failure body. */
  message?: string;
  body?: string;
  seconds?: number;
}

export interface JunitSuite {
  name: string;
  file: string;
  cases: JunitCase[];
}

/** Escape text for XML content and attribute values; drops characters XML 1.0 cannot hold. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attr = (name: string, value: string | number): string => ` ${name}="${xmlEscape(String(value))}"`;

export function junitXml(suites: readonly JunitSuite[]): string {
  const failures = (s: JunitSuite): number => s.cases.filter((c) => !c.pass).length;
  const total = suites.reduce((n, s) => n + s.cases.length, 0);
  const failed = suites.reduce((n, s) => n + failures(s), 0);
  const skipped = (s: JunitSuite): number => s.cases.filter((c) => c.pass && c.skipped).length;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${attr('name', 'hasim check')}${attr('tests', total)}${attr('failures', failed)}>`];
  for (const s of suites) {
    const time = s.cases.reduce((t, c) => t + (c.seconds ?? 0), 0);
    out.push(`  <testsuite${attr('name', s.name)}${attr('file', s.file)}${attr('tests', s.cases.length)}${attr('failures', failures(s))}${attr('errors', 0)}${attr('skipped', skipped(s))}${attr('time', time.toFixed(3))}>`);
    for (const c of s.cases) {
      const open = `    <testcase${attr('classname', s.name)}${attr('name', c.name)}${attr('time', (c.seconds ?? 0).toFixed(3))}`;
      if (c.pass) {
        out.push(c.skipped ? `${open}><skipped${attr('message', c.message ?? c.body ?? 'skipped')}/></testcase>` : `${open}/>`);
        continue;
      }
      out.push(`${open}>`);
      out.push(`      <failure${attr('message', c.message ?? 'failed')}>${xmlEscape(c.body ?? c.message ?? '')}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
