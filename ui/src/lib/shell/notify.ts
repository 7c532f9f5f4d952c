// A long job ended: Rust shows a desktop notification if the window is in the background
// and the user has not turned notifications off. Never fails the job that called it.
import { commands } from '../ipc'

export function jobEnded(title: string, body: string): void {
  try {
    void commands.notifyDone(title, body).catch(() => undefined)
  } catch {
    // No desktop behind the page (unit tests): nothing to notify.
  }
}
