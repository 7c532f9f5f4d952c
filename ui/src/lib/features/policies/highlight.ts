// JSON syntax highlighting as plain tokens: rendered with {#each}, never as HTML, so a pasted
// document cannot inject markup.
export type TokenKind = 'key' | 'string' | 'number' | 'literal' | 'punct' | 'text'

export interface Token {
  text: string
  kind: TokenKind
}

const PATTERN = /("(?:\\.|[^"\\])*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false|null)\b|([{}[\],:])|([^"\d{}[\],:tfn-]+|.)/gy

export function highlightJson(text: string): Token[] {
  const tokens: Token[] = []
  PATTERN.lastIndex = 0
  let m: RegExpExecArray | null
  while (PATTERN.lastIndex < text.length && (m = PATTERN.exec(text))) {
    if (m[1] !== undefined) {
      tokens.push({ text: m[1], kind: m[2] !== undefined ? 'key' : 'string' })
      if (m[2] !== undefined) tokens.push({ text: m[2], kind: 'punct' })
    } else if (m[3] !== undefined) tokens.push({ text: m[3], kind: 'number' })
    else if (m[4] !== undefined) tokens.push({ text: m[4], kind: 'literal' })
    else if (m[5] !== undefined) tokens.push({ text: m[5], kind: 'punct' })
    else {
      const last = tokens[tokens.length - 1]
      if (last && last.kind === 'text') last.text += m[0]
      else tokens.push({ text: m[0], kind: 'text' })
    }
  }
  return tokens
}
