import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/svelte'
import ToolsPage from './ToolsPage.svelte'
import type { RepairApi } from '../../kit/repair'

describe('Repair downloads', () => {
  it('runs a dry run first and renames only after confirmation', async () => {
    const action = { path: '/d/a.gz', newPath: '/d/a.csv', reason: 'named .gz but not gzip' }
    const api: RepairApi = {
      fixGz: vi.fn((_paths: string[], apply: boolean) =>
        Promise.resolve({ status: 'ok' as const, data: { actions: [action], renamed: 1, unchanged: 0, applied: apply } }),
      ),
      chooseRepairPaths: vi.fn((folder: boolean) => Promise.resolve({ status: 'ok' as const, data: folder ? ['/d'] : [] })),
    }
    render(ToolsPage, { props: { api } })
    await fireEvent.click(screen.getByTestId('repair-choose-files'))
    await fireEvent.click(screen.getByTestId('repair-choose-folder'))
    expect(api.chooseRepairPaths).toHaveBeenCalledTimes(2)
    await vi.waitFor(() => expect((screen.getByTestId('repair-paths') as HTMLTextAreaElement).value).toBe('/d'))
    await fireEvent.click(screen.getByTestId('repair-check'))
    expect(api.fixGz).toHaveBeenLastCalledWith(['/d'], false)
    expect((await screen.findByTestId('repair-summary')).textContent).toContain('1 to rename')
    await fireEvent.click(screen.getByTestId('repair-apply'))
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(api.fixGz).toHaveBeenCalledTimes(1)
    await fireEvent.click(screen.getByTestId('repair-apply'))
    await fireEvent.click(screen.getByTestId('confirm'))
    expect(api.fixGz).toHaveBeenLastCalledWith(['/d'], true)
    expect((await screen.findByTestId('repair-summary')).textContent).toContain('Renamed 1')
  })
})
