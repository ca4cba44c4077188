// The small markup of tour texts: *emphasis* and `code`, nothing else. Spans are data; renderers insert them as text.

export interface MarkupSpan {
  kind: 'text' | 'em' | 'code';
  text: string;
}

/** `*x*` → em, `` `x` `` → code (taken literally inside); an unmatched marker is plain text. */
export function markupSpans(source: string): MarkupSpan[] {
  const out: MarkupSpan[] = [];
  const push = (kind: MarkupSpan['kind'], text: string): void => {
    if (text === '') return;
    const last = out[out.length - 1];
    if (kind === 'text' && last?.kind === 'text') last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '`' || c === '*') {
      const end = source.indexOf(c, i + 1);
      if (end > i + 1) {
        push(c === '`' ? 'code' : 'em', source.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    const next = nextMarker(source, i + 1);
    push('text', source.slice(i, next));
    i = next;
  }
  return out;
}

function nextMarker(s: string, from: number): number {
  for (let i = from; i < s.length; i++) if (s[i] === '`' || s[i] === '*') return i;
  return s.length;
}

/** Plain text for a terminal: emphasis loses its stars, code keeps its backticks. */
export function markupPlain(source: string): string {
  return markupSpans(source).map((s) => (s.kind === 'code' ? `\`${s.text}\`` : s.text)).join('');
}
