# Evaluates the NixOS and home-manager modules (and the flake's outputs, with a stub nixpkgs)
# with nixpkgs' lib alone, and checks the units they produce. Run by scripts/test-nix:
#   nix-instantiate --eval --strict --json nix/tests/eval.nix
# gives the failed tests (lib.runTests): `[]` when every one passes.
{
  lib ? import ../../../shared/nix/nixpkgs-lib/lib,
}:

let
  stubs = import ./stubs.nix { inherit lib; };
  infra = "/home/ops/src/infra";
  phase1 = "/srv/phase1";

  evalWith =
    stubModule: module: config:
    (lib.evalModules {
      modules = [
        stubModule
        (import module { defaultPackage = _: stubs.package; })
        { _module.args.pkgs = stubs.pkgs; }
        { services.journal = config; }
      ];
    }).config;
  nixos = evalWith stubs.nixos ../nixos.nix;
  homeManager = evalWith stubs.homeManager ../home-manager.nix;

  failed = config: map (a: a.message) (builtins.filter (a: !a.assertion) config.assertions);

  bin = "${stubs.package.outPath}/bin/journal";
  ops = {
    enable = true;
    user = "ops";
    repositories = [
      infra
      {
        path = phase1;
        name = "phase1";
      }
    ];
  };
  one = ops // {
    repositories = [ infra ];
  };
  served = extra: nixos (one // { serve = { enable = true; } // extra; });
  unit = config: name: config.systemd.services.${name}.serviceConfig;
  hmUnit = config: name: config.systemd.user.services.${name};

  # The flake's outputs over a stub nixpkgs whose buildRustPackage returns its arguments.
  flake =
    let
      nixpkgs = {
        inherit lib;
        legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ] (
          system:
          let
            pkgs = stubs.pkgs // {
              stdenv = {
                hostPlatform = {
                  inherit system;
                  isLinux = lib.hasSuffix "-linux" system;
                };
                buildPlatform.canExecute = _: true;
              };
              callPackage =
                f: args:
                let
                  fn = import f;
                in
                fn (builtins.intersectAttrs (builtins.functionArgs fn) pkgs // args);
              inherit lib;
              rustPlatform.buildRustPackage = attrs: attrs // stubs.storePath "journal-${attrs.version}" { };
              installShellFiles = "installShellFiles";
              makeWrapper = "makeWrapper";
              git = stubs.storePath "git" { };
              mkShell = attrs: attrs;
            }
            // lib.genAttrs [ "cargo" "rustc" "clippy" "rustfmt" "nodejs" "python3" "nix" "chromium" "chromedriver" ] (
              name: stubs.storePath name { }
            )
            // {
              python3Packages.selenium = stubs.storePath "selenium" { };
            };
          in
          pkgs
        );
      };
      outputs = (import ../../flake.nix).outputs { inherit self nixpkgs; };
      self = outputs;
    in
    outputs;
  package = flake.packages.x86_64-linux.default;
in
lib.runTests {
  # NixOS: one system service per repository, as the chosen user.
  testNixosOneWatchUnitPerRepository = {
    expr = builtins.attrNames (nixos ops).systemd.services;
    expected = [
      "journal-watch-infra"
      "journal-watch-phase1"
    ];
  };
  testNixosWatchCommand = {
    expr = (unit (nixos ops) "journal-watch-infra").ExecStart;
    expected = "${bin} --journal ${infra} watch";
  };
  testNixosUserRestartAndHardening = {
    expr = {
      inherit (unit (nixos ops) "journal-watch-phase1")
        User
        Restart
        RestartSec
        KillSignal
        NoNewPrivileges
        ProtectSystem
        ProtectHome
        ReadWritePaths
        RestrictAddressFamilies
        ;
    };
    expected = {
      User = "ops";
      Restart = "on-failure";
      RestartSec = 10;
      KillSignal = "SIGTERM";
      NoNewPrivileges = true;
      ProtectSystem = "strict";
      ProtectHome = "read-only";
      ReadWritePaths = [ phase1 ];
      RestrictAddressFamilies = [ "AF_UNIX" ];
    };
  };
  testNixosQuotesAPathWithASpace = {
    expr = (unit (nixos (ops // { repositories = [ { path = "/home/ops/my infra"; name = "my-infra"; } ]; })) "journal-watch-my-infra").ExecStart;
    expected = "${bin} --journal '/home/ops/my infra' watch";
  };
  testNixosStartsAtBoot = {
    expr = (nixos ops).systemd.services.journal-watch-infra.wantedBy;
    expected = [ "multi-user.target" ];
  };
  testNixosRestartPolicyAndGroup = {
    expr =
      let
        u = unit (nixos (ops // { restart = "always"; restartSec = 3; group = "ops"; })) "journal-watch-infra";
      in
      [ u.Restart u.RestartSec u.Group ];
    expected = [ "always" 3 "ops" ];
  };
  testNixosPackageInstalled = {
    expr = map (p: p.name) (nixos ops).environment.systemPackages;
    expected = [ "journal-0.1.0" ];
  };
  testNixosDisabledMakesNothing = {
    expr = (nixos (ops // { enable = false; })).systemd.services;
    expected = { };
  };
  testNixosAValidConfigurationPasses = {
    expr = failed (nixos ops);
    expected = [ ];
  };

  # The page: one repository's, beside its watcher (so without a watcher of its own).
  testServeUnitAndCommand = {
    expr = {
      units = builtins.attrNames (served { }).systemd.services;
      command = (unit (served { allowedHosts = [ "journal.lan" ]; }) "journal-serve-infra").ExecStart;
      families = (unit (served { }) "journal-serve-infra").RestrictAddressFamilies;
      after = (served { }).systemd.services.journal-serve-infra.after;
    };
    expected = {
      units = [ "journal-serve-infra" "journal-watch-infra" ];
      command = "${bin} --journal ${infra} serve --bind 127.0.0.1 --port 7420 --allow-host journal.lan --no-watch";
      families = [ "AF_UNIX" "AF_INET" "AF_INET6" ];
      after = [ "local-fs.target" "network.target" ];
    };
  };
  testServeWithoutAWatcherRunsItsOwn = {
    expr =
      let
        config = nixos (one // {
          repositories = [ { path = infra; watch = false; } ];
          serve.enable = true;
          serve.port = 8080;
        });
      in
      [ (builtins.attrNames config.systemd.services) (unit config "journal-serve-infra").ExecStart ];
    expected = [
      [ "journal-serve-infra" ]
      "${bin} --journal ${infra} serve --bind 127.0.0.1 --port 8080"
    ];
  };
  testServeFirewallOnlyWhenAsked = {
    expr = [
      (served { }).networking.firewall.allowedTCPPorts
      (served { openFirewall = true; bind = "0.0.0.0"; }).networking.firewall.allowedTCPPorts
    ];
    expected = [ [ ] [ 7420 ] ];
  };
  testServeNamesOneOfSeveral = {
    expr = builtins.attrNames (nixos (ops // { serve = { enable = true; repository = "phase1"; }; })).systemd.services;
    expected = [ "journal-serve-phase1" "journal-watch-infra" "journal-watch-phase1" ];
  };

  # settings: journal.toml for a repository that has none, written and committed first.
  testSettingsBecomeJournalToml = {
    expr =
      let
        config = nixos (ops // { settings.vocabulary.providers = [ "hetzner" "gcp" ]; });
        pre = (unit config "journal-watch-infra").ExecStartPre;
      in
      lib.hasSuffix "-journal-init-infra" pre;
    expected = true;
  };
  testSettingsInitScript = {
    expr =
      let
        common = import ../common.nix { inherit lib; };
        cfg = (lib.evalModules {
          modules = [
            { options.services.journal = common.options { defaultPackage = stubs.package; defaultPackageText = "stub"; }; }
            { services.journal = { enable = true; repositories = [ infra ]; settings.entries = "notes"; }; }
          ];
        }).config.services.journal;
        services = common.services {
          inherit cfg;
          settingsFile = "/nix/store/22222222222222222222222222222222-journal.toml";
          writeShellScript = _: text: text;
        };
      in
      services.journal-watch-infra.execStartPre;
    expected = ''
      set -eu
      if [ ! -e ${infra}/journal.toml ]; then
        install -m 0644 /nix/store/22222222222222222222222222222222-journal.toml ${infra}/journal.toml
        ${bin} --journal ${infra} init
      fi
    '';
  };
  testNoSettingsNoInit = {
    expr = (unit (nixos ops) "journal-watch-infra") ? ExecStartPre;
    expected = false;
  };

  # Refused configurations, each with the message that says what to change.
  testRefusesNoUser = {
    expr = failed (nixos (builtins.removeAttrs ops [ "user" ]));
    expected = [ "services.journal.user must name the user the services run as (the owner of the repositories)." ];
  };
  testRefusesRoot = {
    expr = failed (nixos (ops // { user = "root"; }));
    expected = [ "services.journal.user = \"root\": run the services as the repositories' owner, not root." ];
  };
  testRefusesNoRepository = {
    expr = failed (nixos (ops // { repositories = [ ]; }));
    expected = [ "services.journal.repositories is empty: name at least one git repository holding (or to hold) a journal." ];
  };
  testRefusesARelativePath = {
    expr = failed (nixos (ops // { repositories = [ "src/infra" ]; }));
    expected = [ "services.journal.repositories: `src/infra` is not an absolute path." ];
  };
  testRefusesTwoUnitsOfOneName = {
    expr = failed (nixos (ops // { repositories = [ infra "/srv/other/infra" ]; }));
    expected = [ "services.journal.repositories: two repositories are named `infra`: give one of them another `name`." ];
  };
  testRefusesAServeOfNoKnownRepository = {
    expr = [
      (failed (nixos (ops // { serve.enable = true; })))
      (failed (nixos (ops // { serve = { enable = true; repository = "/srv/nowhere"; }; })))
    ];
    expected = [
      [ "services.journal.serve.repository must name the repository the page shows (by path or name): there are 2." ]
      [ "services.journal.serve.repository = `/srv/nowhere` is none of services.journal.repositories (infra, phase1)." ]
    ];
  };
  testRefusesABadRestartValue = {
    expr = (builtins.tryEval (nixos (ops // { restart = "sometimes"; })).systemd.services.journal-watch-infra.serviceConfig.Restart).success;
    expected = false;
  };

  # home-manager: user services, the package in home.packages.
  testHomeManagerUserUnits = {
    expr =
      let
        config = homeManager (builtins.removeAttrs ops [ "user" ]);
        u = hmUnit config "journal-watch-infra";
      in
      {
        units = builtins.attrNames config.systemd.user.services;
        inherit (u.Service) ExecStart Restart NoNewPrivileges ProtectSystem ReadWritePaths;
        user = u.Service ? User;
        wantedBy = u.Install.WantedBy;
        description = u.Unit.Description;
        packages = map (p: p.name) config.home.packages;
        failed = failed config;
      };
    expected = {
      units = [ "journal-watch-infra" "journal-watch-phase1" ];
      ExecStart = "${bin} --journal ${infra} watch";
      Restart = "on-failure";
      NoNewPrivileges = true;
      ProtectSystem = "strict";
      ReadWritePaths = [ infra ];
      user = false;
      wantedBy = [ "default.target" ];
      description = "journal watcher for ${infra}";
      packages = [ "journal-0.1.0" ];
      failed = [ ];
    };
  };
  testHomeManagerServe = {
    expr = (hmUnit (homeManager { enable = true; repositories = [ infra ]; serve.enable = true; }) "journal-serve-infra").Service.ExecStart;
    expected = "${bin} --journal ${infra} serve --bind 127.0.0.1 --port 7420 --no-watch";
  };
  testHomeManagerRefuses = {
    expr = failed (homeManager { enable = true; repositories = [ "relative" ]; });
    expected = [ "services.journal.repositories: `relative` is not an absolute path." ];
  };

  # The flake: its outputs and the package's structure (it cannot be built here).
  testFlakeOutputs = {
    expr = {
      systems = builtins.attrNames flake.packages;
      app = flake.apps.x86_64-linux.default.program;
      modules = [ (builtins.isFunction flake.nixosModules.default) (builtins.isFunction flake.homeManagerModules.default) ];
      overlay = builtins.isFunction flake.overlays.default;
      shell = builtins.length flake.devShells.x86_64-linux.default.packages > 5;
    };
    expected = {
      systems = [ "aarch64-darwin" "aarch64-linux" "x86_64-darwin" "x86_64-linux" ];
      app = "/nix/store/11111111111111111111111111111111-journal-0.1.0/bin/journal";
      modules = [ true true ];
      overlay = true;
      shell = true;
    };
  };
  testPackageStructure = {
    expr = {
      inherit (package) pname version doCheck;
      lock = builtins.pathExists package.cargoLock.lockFile;
      bin = package.cargoBuildFlags;
      completions = lib.hasInfix "--bash <($out/bin/journal completions bash)" package.postInstall;
      man = lib.hasInfix "installManPage man/*.1" package.postInstall;
      main = package.meta.mainProgram;
    };
    expected = {
      pname = "journal";
      version = "0.1.0";
      doCheck = false;
      lock = true;
      bin = [ "--package" "journal" "--bin" "journal" ];
      completions = true;
      man = true;
      main = "journal";
    };
  };
}
