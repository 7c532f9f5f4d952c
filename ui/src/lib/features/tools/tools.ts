// The Tools section's door to Rust.
import { commands, type IpcError, type RepairReport, type Result } from '../../ipc'

export interface ToolsApi {
  fixGz(paths: string[], apply: boolean): Promise<Result<RepairReport, IpcError>>
  chooseRepairPaths(folder: boolean): Promise<Result<string[], IpcError>>
}

export const ipcToolsApi: ToolsApi = commands
