// Each section's page is its own chunk, loaded on first use, so the first frame carries
// only the page it shows. `page()` returns a loaded page as-is (not a promise), so the
// shell renders it in the same frame; main.ts loads the first one before mounting.
import type { Component } from 'svelte'
import type { SectionId } from './sections'

const loaders: Record<SectionId, () => Promise<{ default: Component }>> = {
  connections: () => import('../features/connections/ConnectionsPage.svelte'),
  policies: () => import('../features/policies/PoliciesPage.svelte'),
  setup: () => import('../features/setup/SetupPage.svelte'),
  streams: () => import('../features/streams/StreamsPage.svelte'),
  browse: () => import('../features/browse/BrowsePage.svelte'),
  reports: () => import('../features/reports/ReportsPage.svelte'),
  tools: () => import('../features/tools/ToolsPage.svelte'),
}

const loaded = new Map<SectionId, Component>()

export function isSection(id: string | null | undefined): id is SectionId {
  return !!id && Object.prototype.hasOwnProperty.call(loaders, id)
}

/** The page component, or a promise of it while its chunk loads. */
export function page(id: SectionId): Component | Promise<Component> {
  const ready = loaded.get(id)
  if (ready) return ready
  return loaders[id]().then((m) => {
    loaded.set(id, m.default)
    return m.default
  })
}
