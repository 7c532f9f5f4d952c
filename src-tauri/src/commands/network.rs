//! Network: the proxy every AWS call goes through (Preferences).

use sluice_core::net::NetworkStatus;
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn network_status(state: State<'_, AppState>) -> IpcResult<NetworkStatus> {
    Ok(state.core.network_status()?)
}

#[tauri::command]
#[specta::specta]
pub async fn set_proxy(
    state: State<'_, AppState>,
    url: Option<String>,
    no_proxy: Option<String>,
) -> IpcResult<NetworkStatus> {
    Ok(state.core.set_proxy(url.as_deref(), no_proxy.as_deref())?)
}
