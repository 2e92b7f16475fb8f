//! `journal serve`: the local web page. The server is `journal-web`'s; this command binds the
//! socket, says where it is, and stops it on SIGINT or SIGTERM.

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;

use clap::Args;
use journal_web::WebOptions;

use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Serve a local web page to browse, search and review the journal (read-only).
///
/// The first line on stdout is `Serving http://HOST:PORT/`. Only requests naming this server
/// in their Host header are answered (DNS rebinding), GET and HEAD only. Open pages update
/// when entries or commits change: unless a watcher already runs, the server runs one inside
/// itself.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port; 0 picks a free one.
    #[arg(long, value_name = "N", default_value_t = 7420)]
    port: u16,
    /// The address to listen on; anything but a loopback address makes the journal readable
    /// from the network (the page has no authentication), and is warned about.
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// A host name the page may be reached by (repeatable): requests naming any other in
    /// their Host header are refused (DNS rebinding). NAME or NAME:PORT; the bound address
    /// and, on loopback, localhost are always allowed.
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_host: Vec<String>,
    /// Open the page in the browser ($BROWSER, else the desktop's opener).
    #[arg(long)]
    open: bool,
    /// Do not run a watcher inside the server (pages then update only while a `journal
    /// watch` runs).
    #[arg(long)]
    no_watch: bool,
}

pub fn cmd_serve(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &ServeArgs,
) -> Result<(), CommandError> {
    crate::memory::give_back_at_once();
    let listener = std::net::TcpListener::bind(SocketAddr::new(args.bind, args.port)).map_err(|e| {
        let err = CommandError::user(format!("cannot listen on {}:{}: {e}", args.bind, args.port));
        if e.kind() == std::io::ErrorKind::AddrInUse {
            err.hint("another program uses that port: pick another with --port N (0 picks a free one)")
        } else {
            err
        }
    })?;
    let address = listener.local_addr()?;
    let hosts = allowed_hosts(args, address)?;
    if !args.bind.is_loopback() {
        ui.warning(&format!(
            "listening on {}: the page has no authentication, anyone who can reach this address \
             can read the journal",
            args.bind
        ));
        if args.allow_host.is_empty() {
            ui.warning(
                "no --allow-host NAME: requests must name the server by its address; pass the \
                 host names it is reached by",
            );
        }
    }
    let router = journal_web::router(WebOptions {
        open: context::open_options(journal)?,
        hosts,
        clock: journal_lib::Clock::new(context::clock()?),
    })?;
    let shown = shown_url(args, address);
    ui.data(&format!("Serving {shown}"))?;
    let _ = std::io::stdout().flush();
    if args.open
        && let Err(e) = opener::open_browser(&shown)
    {
        ui.warning(&format!("cannot open the browser: {e}"));
    }
    let watcher = crate::commands::watch::start_inside(journal, args.no_watch)?;
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        journal_web::serve(listener, router, stopped()).await
    })?;
    if let Some(why) = crate::commands::watch::stop_inside(watcher) {
        ui.warning(&format!("the watcher inside the server stopped: {why}"));
    }
    Ok(())
}

/// The `Host` values a request may carry: the bound address, on loopback (or all addresses)
/// the loopback names, and each `--allow-host` (with the port unless it names one).
fn allowed_hosts(args: &ServeArgs, address: SocketAddr) -> Result<Vec<String>, CommandError> {
    let port = address.port();
    let mut hosts = vec![format!("{address}")];
    if args.bind.is_loopback() || args.bind.is_unspecified() {
        hosts.extend([
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ]);
    }
    for name in &args.allow_host {
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() || name.contains(['/', ' ']) {
            return Err(CommandError::usage(format!(
                "--allow-host `{name}` is not a host name (NAME or NAME:PORT)"
            )));
        }
        if has_port(&name) {
            hosts.push(name);
        } else {
            hosts.push(format!("{name}:{port}"));
            if port == 80 {
                hosts.push(name);
            }
        }
    }
    Ok(hosts)
}

/// Whether a host name ends with its port (`[::1]` alone does not).
fn has_port(name: &str) -> bool {
    !name.ends_with(']')
        && name
            .rsplit_once(':')
            .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
}

/// The address a browser can use: an allowed name first, else the bound address (the
/// loopback one for an unspecified bind).
fn shown_url(args: &ServeArgs, address: SocketAddr) -> String {
    let port = address.port();
    match (args.allow_host.first(), args.bind) {
        (Some(name), _) if has_port(name) => format!("http://{name}/"),
        (Some(name), _) => format!("http://{name}:{port}/"),
        (None, bind) if bind.is_loopback() => format!("http://localhost:{port}/"),
        (None, bind) if bind.is_unspecified() => format!("http://127.0.0.1:{port}/"),
        (None, _) => format!("http://{address}/"),
    }
}

/// Completes on SIGINT or SIGTERM.
async fn stopped() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}
