// Some desktops report a POSIX locale ("C", "C.UTF-8") as the browser language, which the
// Intl APIs reject; libraries that format numbers at load (the chart library) would then
// stop the whole app from starting. Fall back to English for such a language. Imported
// first in main.ts, before anything else is evaluated.
export function usableLanguage(language: string | undefined): string {
  try {
    new Intl.NumberFormat(language)
    return language ?? 'en-US'
  } catch {
    return 'en-US'
  }
}

if (typeof navigator !== 'undefined' && usableLanguage(navigator.language) !== navigator.language) {
  Object.defineProperty(navigator, 'language', { value: 'en-US', configurable: true })
}
