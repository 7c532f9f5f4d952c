// The repair panel's door to Rust (used by Tools and by Browse after a download).
import { commands, type IpcError, type RepairReport, type Result } from '../ipc'

export interface RepairApi {
  fixGz(paths: string[], apply: boolean): Promise<Result<RepairReport, IpcError>>
  chooseRepairPaths(folder: boolean): Promise<Result<string[], IpcError>>
}

export const ipcRepairApi: RepairApi = commands
