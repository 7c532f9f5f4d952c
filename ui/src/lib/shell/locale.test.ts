import { describe, expect, it } from 'vitest'
import { usableLanguage } from './locale'

describe('the language guard', () => {
  it('keeps a real language and replaces a POSIX locale', () => {
    expect(usableLanguage('de-DE')).toBe('de-DE')
    expect(usableLanguage('C')).toBe('en-US')
  })
})
