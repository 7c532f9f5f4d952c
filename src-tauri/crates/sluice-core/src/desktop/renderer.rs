//! How WebKitGTK draws Sluice's window, chosen from `make bench` (scripts/bench_startup.py).
//!
//! WebKitGTK's DMA-BUF renderer shares GPU buffers between the web process and the window.
//! Where there is no GPU for it (a VM, Xvfb, many laptops' software GL), it is the slow
//! path: on the reference machine the first painted page took about twice as long and the
//! processes held about 90 MiB more PSS with it than without. So Sluice turns it off unless
//! the user has set `WEBKIT_DISABLE_DMABUF_RENDERER` themselves, or asks for the GPU path
//! with `SLUICE_GPU=1`.

/// The environment variables to set before WebKitGTK starts, given the current environment.
pub fn renderer_env(get: impl Fn(&str) -> Option<String>) -> Vec<(&'static str, &'static str)> {
    let wants_gpu = get("SLUICE_GPU")
        .map(|v| matches!(v.trim(), "1" | "true" | "yes"))
        .unwrap_or(false);
    if wants_gpu || get("WEBKIT_DISABLE_DMABUF_RENDERER").is_some() {
        return Vec::new();
    }
    vec![("WEBKIT_DISABLE_DMABUF_RENDERER", "1")]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn dmabuf_is_off_unless_the_user_chose() {
        assert_eq!(
            renderer_env(env(&[])),
            vec![("WEBKIT_DISABLE_DMABUF_RENDERER", "1")]
        );
        assert!(renderer_env(env(&[("SLUICE_GPU", "1")])).is_empty());
        assert!(renderer_env(env(&[("WEBKIT_DISABLE_DMABUF_RENDERER", "0")])).is_empty());
        assert_eq!(renderer_env(env(&[("SLUICE_GPU", "0")])).len(), 1);
    }
}
