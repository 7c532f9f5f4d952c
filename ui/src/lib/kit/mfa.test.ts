import { describe, expect, it } from 'vitest'
import { cleanCode } from './mfa'

describe('cleanCode', () => {
  it('takes six digits, spaces allowed, and nothing else', () => {
    expect(cleanCode('123456')).toBe('123456')
    expect(cleanCode(' 123 456 ')).toBe('123456')
    expect(cleanCode('12345')).toBeNull()
    expect(cleanCode('12345a')).toBeNull()
    expect(cleanCode('1234567')).toBeNull()
  })
})
