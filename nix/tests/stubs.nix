# What the module tests evaluate against instead of nixpkgs (not reachable here): a stub
# package, the few `pkgs` functions the modules call, and the options a real NixOS or
# home-manager system declares, as loose as the modules need.
{ lib }:

rec {
  system = "x86_64-linux";

  package = {
    type = "derivation";
    name = "journal-0.1.0";
    outPath = "/nix/store/00000000000000000000000000000000-journal-0.1.0";
    meta.mainProgram = "journal";
  };

  # A stand-in for a store path that records what made it.
  storePath = name: extra: {
    type = "derivation";
    inherit name;
    outPath = "/nix/store/11111111111111111111111111111111-${name}";
  } // extra;

  pkgs = {
    stdenv.hostPlatform.system = system;
    formats.toml = _: {
      generate = name: value: storePath name { inherit value; };
    };
    writeShellScript = name: text: storePath name { inherit text; };
  };

  anything = lib.mkOption { type = lib.types.anything; default = { }; };
  list = lib.mkOption { type = lib.types.listOf lib.types.anything; default = [ ]; };

  nixos = {
    options = {
      assertions = list;
      warnings = list;
      environment.systemPackages = list;
      networking.firewall.allowedTCPPorts = list;
      systemd.services = lib.mkOption {
        type = lib.types.attrsOf lib.types.anything;
        default = { };
      };
    };
  };

  homeManager = {
    options = {
      assertions = list;
      warnings = list;
      home.packages = list;
      systemd.user.services = lib.mkOption {
        type = lib.types.attrsOf lib.types.anything;
        default = { };
      };
    };
  };
}
