//! Service definitions that run `journal watch` under a service manager.

use std::path::Path;

use clap::ValueEnum;

/// The service managers `journal watch --print-service` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServiceManager {
    /// A systemd user unit (Linux).
    Systemd,
    /// A launchd agent (macOS).
    Launchd,
}

/// Returns the service definition that runs `exe --journal root watch`. `state_dir` is the
/// watcher's folder in the git directory, where launchd's log goes.
pub fn definition(manager: ServiceManager, exe: &Path, root: &Path, state_dir: &Path) -> String {
    match manager {
        ServiceManager::Systemd => systemd(exe, root),
        ServiceManager::Launchd => launchd(exe, root, state_dir),
    }
}

fn systemd(exe: &Path, root: &Path) -> String {
    let exec = [
        exe.to_string_lossy().into_owned(),
        "--journal".into(),
        root.to_string_lossy().into_owned(),
        "watch".into(),
    ]
    .iter()
    .map(|arg| systemd_quote(arg))
    .collect::<Vec<_>>()
    .join(" ");
    format!(
        "# The journal watcher for {root}.\n\
         # Save as ~/.config/systemd/user/journal-watch.service, then run\n\
         #   systemctl --user daemon-reload\n\
         #   systemctl --user enable --now journal-watch.service\n\
         # Logs: journalctl --user -u journal-watch\n\
         [Unit]\n\
         Description=journal watcher for {root}\n\
         \n\
         [Service]\n\
         Type=exec\n\
         ExecStart={exec}\n\
         # SIGTERM: the watcher ends its batch in progress and exits cleanly.\n\
         KillSignal=SIGTERM\n\
         TimeoutStopSec=60\n\
         # A critical error (journal gone, another watcher) exits non-zero: retry later.\n\
         Restart=on-failure\n\
         RestartSec=10\n\
         \n\
         [Install]\n\
         WantedBy=default.target\n",
        root = root.display(),
    )
}

/// Quotes one ExecStart argument for systemd: double quotes, with `\`, `"` and systemd's `%`
/// specifier character escaped.
fn systemd_quote(arg: &str) -> String {
    let escaped = arg
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('%', "%%");
    format!("\"{escaped}\"")
}

fn launchd(exe: &Path, root: &Path, state_dir: &Path) -> String {
    let args = [
        exe.to_string_lossy().into_owned(),
        "--journal".into(),
        root.to_string_lossy().into_owned(),
        "watch".into(),
    ];
    let program: String = args
        .iter()
        .map(|a| format!("    <string>{}</string>\n", xml_escape(a)))
        .collect();
    let log = state_dir.join("watch.log");
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!-- The journal watcher for {root}.\n     \
         Save as ~/Library/LaunchAgents/org.journal.watch.plist, then run\n       \
         launchctl bootstrap gui/$(id -u) ~/Library/LaunchAgents/org.journal.watch.plist -->\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \
         \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n\
         <dict>\n  \
         <key>Label</key>\n  <string>org.journal.watch</string>\n  \
         <key>ProgramArguments</key>\n  <array>\n{program}  </array>\n  \
         <key>RunAtLoad</key>\n  <true/>\n  \
         <key>KeepAlive</key>\n  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n  \
         <key>ThrottleInterval</key>\n  <integer>10</integer>\n  \
         <key>StandardErrorPath</key>\n  <string>{log}</string>\n\
         </dict>\n\
         </plist>\n",
        root = xml_escape(&root.to_string_lossy()),
        log = xml_escape(&log.to_string_lossy()),
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn systemd_arguments_are_quoted_and_specifiers_escaped() {
        assert_eq!(systemd_quote("/a b/100%\"x\""), "\"/a b/100%%\\\"x\\\"\"");
        let unit = definition(
            ServiceManager::Systemd,
            Path::new("/bin/journal"),
            Path::new("/srv/my infra"),
            Path::new("/srv/my infra/.git/journal-watch"),
        );
        assert!(
            unit.contains("ExecStart=\"/bin/journal\" \"--journal\" \"/srv/my infra\" \"watch\"")
        );
        assert!(unit.contains("WantedBy=default.target"));
    }

    #[test]
    fn launchd_values_are_escaped() {
        let plist = definition(
            ServiceManager::Launchd,
            Path::new("/bin/journal"),
            Path::new("/srv/a&b"),
            Path::new("/srv/a&b/.git/journal-watch"),
        );
        assert!(plist.contains("<string>/srv/a&amp;b</string>"));
        assert!(plist.contains("<string>/srv/a&amp;b/.git/journal-watch/watch.log</string>"));
    }
}
