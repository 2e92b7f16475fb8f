# What the NixOS and the home-manager modules share: the options of `services.journal`, the
# checks of a configuration, and the services a configuration asks for, described once (each
# module turns them into its own systemd unit format).
{ lib }:

let
  inherit (lib)
    mkOption
    mkEnableOption
    types
    literalExpression
    ;

  repository = types.submodule (
    { config, ... }:
    {
      options = {
        path = mkOption {
          type = types.str;
          example = "/home/ops/src/infra";
          description = "Absolute path of the git repository's working tree that holds (or will hold) the journal.";
        };
        name = mkOption {
          type = types.str;
          default = baseNameOf config.path;
          defaultText = literalExpression "baseNameOf path";
          description = "Names the repository's units: `journal-watch-<name>`, `journal-serve-<name>`.";
        };
        watch = mkOption {
          type = types.bool;
          default = true;
          description = "Run `journal watch` for this repository (keeps the index fresh, records new commits).";
        };
      };
    }
  );
in
rec {
  # The options under `services.journal`. `defaultPackage` is the package when none is set.
  options =
    {
      defaultPackage,
      defaultPackageText,
    }:
    {
      enable = mkEnableOption "journal, the git-backed knowledge journal: a watcher per repository, and the local web page";

      package = mkOption {
        type = types.package;
        default = defaultPackage;
        defaultText = literalExpression defaultPackageText;
        description = "The journal package.";
      };

      repositories = mkOption {
        type = types.listOf (types.coercedTo types.str (path: { inherit path; }) repository);
        default = [ ];
        example = literalExpression ''[ "/home/ops/src/infra" { path = "/srv/phase1"; name = "phase1"; } ]'';
        description = "The journals' repositories: one `journal watch` service each. A path alone, or `{ path, name, watch }`.";
      };

      settings = mkOption {
        type = types.attrsOf types.anything;
        default = { };
        example = literalExpression ''
          {
            entries = "journal";
            vocabulary.providers = [ "hetzner" "gcp" ];
            vocabulary.patterns = [ "luks" "zerotier" "clan-vars" ];
          }
        '';
        description = ''
          journal.toml for a repository that has none yet: before its watcher starts, it is
          written there and committed (`journal init`). A repository's own journal.toml is the
          journal's configuration, in git with the entries: it is never changed.
        '';
      };

      restart = mkOption {
        type = types.enum [
          "on-failure"
          "always"
          "on-abnormal"
          "no"
        ];
        default = "on-failure";
        description = "systemd's Restart= of the services: `journal watch` exits 1 on a critical error and 0 when stopped.";
      };

      restartSec = mkOption {
        type = types.ints.positive;
        default = 10;
        description = "Seconds before a restart.";
      };

      serve = {
        enable = mkEnableOption "`journal serve`, the local web page of one repository";
        repository = mkOption {
          type = types.nullOr types.str;
          default = null;
          description = "The path or name of the repository the page shows; may be left out when there is one.";
        };
        bind = mkOption {
          type = types.str;
          default = "127.0.0.1";
          description = "The address to listen on. The page has no authentication: anything but loopback makes the journal readable from the network.";
        };
        port = mkOption {
          type = types.port;
          default = 7420;
          description = "The port.";
        };
        allowedHosts = mkOption {
          type = types.listOf types.str;
          default = [ ];
          example = [ "journal.lan" ];
          description = "Host names the page may be reached by (`--allow-host`): requests naming any other are refused.";
        };
      };
    };

  # The repository `serve.repository` names, or null.
  servedRepository =
    cfg:
    let
      wanted = cfg.serve.repository;
      matches = builtins.filter (r: r.path == wanted || r.name == wanted) cfg.repositories;
    in
    if wanted == null then
      (if builtins.length cfg.repositories == 1 then builtins.head cfg.repositories else null)
    else if matches == [ ] then
      null
    else
      builtins.head matches;

  # The checks of a configuration, as the module system's `assertions`.
  assertions =
    prefix: cfg:
    let
      names = map (r: r.name) cfg.repositories;
      duplicates = lib.unique (builtins.filter (n: lib.count (m: m == n) names > 1) names);
      relative = builtins.filter (r: !lib.hasPrefix "/" r.path) cfg.repositories;
      badNames = builtins.filter (r: builtins.match "[A-Za-z0-9_.@-]+" r.name == null) cfg.repositories;
    in
    [
      {
        assertion = cfg.repositories != [ ];
        message = "${prefix}.repositories is empty: name at least one git repository holding (or to hold) a journal.";
      }
      {
        assertion = relative == [ ];
        message = "${prefix}.repositories: ${lib.concatMapStringsSep ", " (r: "`${r.path}`") relative} is not an absolute path.";
      }
      {
        assertion = duplicates == [ ];
        message = "${prefix}.repositories: two repositories are named ${lib.concatMapStringsSep ", " (n: "`${n}`") duplicates}: give one of them another `name`.";
      }
      {
        assertion = badNames == [ ];
        message = "${prefix}.repositories: the name ${lib.concatMapStringsSep ", " (r: "`${r.name}`") badNames} cannot name a unit: use letters, digits, `-`, `_`, `.`.";
      }
      {
        assertion = !cfg.serve.enable || servedRepository cfg != null;
        message =
          if cfg.serve.repository == null then
            "${prefix}.serve.repository must name the repository the page shows (by path or name): there are ${toString (builtins.length cfg.repositories)}."
          else
            "${prefix}.serve.repository = `${cfg.serve.repository}` is none of ${prefix}.repositories (${lib.concatStringsSep ", " names}).";
      }
    ];

  # The services a configuration asks for, by unit name: what each runs and may write.
  services =
    {
      cfg,
      # The settings rendered as a journal.toml file (a store path), or null without settings.
      settingsFile,
      # Makes an executable script from a name and a shell text (pkgs.writeShellScript).
      writeShellScript,
    }:
    let
      journal = lib.getExe' cfg.package "journal";
      q = lib.escapeShellArg;
      init =
        repo:
        writeShellScript "journal-init-${repo.name}" ''
          set -eu
          if [ ! -e ${q "${repo.path}/journal.toml"} ]; then
            install -m 0644 ${settingsFile} ${q "${repo.path}/journal.toml"}
            ${journal} --journal ${q repo.path} init
          fi
        '';
      common = repo: {
        restart = cfg.restart;
        restartSec = cfg.restartSec;
        readWritePaths = [ repo.path ];
        execStartPre = if settingsFile == null then null else "${init repo}";
      };
      watch =
        repo:
        lib.nameValuePair "journal-watch-${repo.name}" (
          common repo
          // {
            description = "journal watcher for ${repo.path}";
            execStart = "${journal} --journal ${q repo.path} watch";
            addressFamilies = [ "AF_UNIX" ];
          }
        );
      served = servedRepository cfg;
      serve =
        repo:
        lib.nameValuePair "journal-serve-${repo.name}" (
          common repo
          // {
            description = "journal web page of ${repo.path}";
            execStart = lib.concatStringsSep " " (
              [
                journal
                "--journal"
                (q repo.path)
                "serve"
                "--bind"
                (q cfg.serve.bind)
                "--port"
                (toString cfg.serve.port)
              ]
              ++ lib.concatMap (host: [
                "--allow-host"
                (q host)
              ]) cfg.serve.allowedHosts
              # The repository's own watcher keeps the index fresh: no second one inside.
              ++ lib.optional repo.watch "--no-watch"
            );
            addressFamilies = [
              "AF_UNIX"
              "AF_INET"
              "AF_INET6"
            ];
          }
        );
    in
    builtins.listToAttrs (
      map watch (builtins.filter (r: r.watch) cfg.repositories)
      ++ lib.optional (cfg.serve.enable && served != null) (serve served)
    );

  # The services of a module's configuration: `settings` rendered with pkgs.formats.toml.
  servicesOf =
    cfg: pkgs:
    services {
      inherit cfg;
      settingsFile =
        if cfg.settings == { } then null else (pkgs.formats.toml { }).generate "journal.toml" cfg.settings;
      inherit (pkgs) writeShellScript;
    };

  # The hardening of every unit: nothing but the repository is writable.
  hardening = svc: {
    NoNewPrivileges = true;
    ProtectSystem = "strict";
    ReadWritePaths = svc.readWritePaths;
    PrivateTmp = true;
    RestrictAddressFamilies = svc.addressFamilies;
    LockPersonality = true;
    RestrictRealtime = true;
    RestrictSUIDSGID = true;
    SystemCallArchitectures = "native";
  };

  # systemd's [Service] settings of a service, hardened.
  serviceConfig =
    svc:
    {
      Type = "exec";
      ExecStart = svc.execStart;
      # SIGTERM stops a watcher after the batch in progress.
      KillSignal = "SIGTERM";
      TimeoutStopSec = 60;
      Restart = svc.restart;
      RestartSec = svc.restartSec;
    }
    // lib.optionalAttrs (svc.execStartPre != null) { ExecStartPre = svc.execStartPre; }
    // hardening svc;
}
