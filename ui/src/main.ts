import './lib/shell/locale'
import { mount } from 'svelte'
import './app.css'
import App from './App.svelte'
import { commands } from './lib/ipc'
import { isSection, page } from './lib/shell/pages'
import type { SectionId } from './lib/shell/sections'

const target = document.getElementById('app')
if (!target) throw new Error('Sluice: #app element missing from index.html')

/** The section shown last when the user lets Sluice remember it, else Connections. */
async function firstSection(): Promise<SectionId> {
  try {
    const r = await commands.desktopPrefs()
    return r.status === 'ok' && isSection(r.data.lastSection) ? r.data.lastSection : 'connections'
  } catch {
    return 'connections'
  }
}

// The first page's code is loaded before the shell mounts, so the first frame is the page.
export default firstSection().then(async (first) => {
  await Promise.resolve(page(first)).catch(() => undefined)
  return mount(App, { target, props: { first } })
})
