import { fireEvent, render, screen } from '@testing-library/svelte'
import { describe, expect, it, vi } from 'vitest'
import CliOnPath, { type CliApi } from './CliOnPath.svelte'

describe('the command line under Preferences', () => {
  it('offers the symlink on macOS and says what it did', async () => {
    let linked = false
    const api: CliApi = {
      status: vi.fn(async () => ({
        status: 'ok' as const,
        data: {
          cli: '/Applications/Sluice.app/Contents/MacOS/sluice',
          installed: true,
          offer: linked
            ? { kind: 'onPath' as const }
            : { kind: 'symlink' as const, link: '/usr/local/bin/sluice', target: '/Applications/Sluice.app/Contents/MacOS/sluice' },
        },
      })),
      put: vi.fn(async () => {
        linked = true
        return { status: 'ok' as const, data: 'Linked /usr/local/bin/sluice to /Applications/Sluice.app/Contents/MacOS/sluice' }
      }),
    }
    render(CliOnPath, { props: { api } })
    const button = await screen.findByTestId('cli-put-on-path')
    expect(button.textContent).toContain('/usr/local/bin/sluice')
    await fireEvent.click(button)
    expect((await screen.findByTestId('cli-said')).textContent).toContain('Linked')
    await vi.waitFor(() => expect(screen.queryByTestId('cli-put-on-path')).toBeNull())
  })

  it('asks to move Sluice to Applications when it runs from its disk image', async () => {
    const reason = 'Sluice runs from its disk image or a temporary copy: move Sluice to Applications and open it from there first'
    const api: CliApi = {
      status: vi.fn(async () => ({
        status: 'ok' as const,
        data: { cli: '/Volumes/Sluice/Sluice.app/Contents/MacOS/sluice', installed: true, offer: { kind: 'moveFirst' as const, reason } },
      })),
      put: vi.fn(),
    }
    render(CliOnPath, { props: { api } })
    expect((await screen.findByTestId('cli-move-first')).textContent).toContain('move Sluice to Applications')
    expect(screen.queryByTestId('cli-put-on-path')).toBeNull()
  })

  it('shows nothing when the build has no command line beside it', async () => {
    const api: CliApi = {
      status: vi.fn(async () => ({ status: 'ok' as const, data: { cli: '/x/sluice', installed: false, offer: { kind: 'onPath' as const } } })),
      put: vi.fn(),
    }
    render(CliOnPath, { props: { api } })
    await vi.waitFor(() => expect(api.status).toHaveBeenCalled())
    expect(screen.queryByTestId('cli-on-path')).toBeNull()
  })
})
