# home-manager module: `services.journal`. One systemd user service per repository running
# `journal watch`, and optionally `journal serve` for one of them; the package in home.packages.
#
# `defaultPackage` gives the package when `services.journal.package` is not set (the flake
# passes its own build for the host's system).
{ defaultPackage }:
{
  config,
  lib,
  pkgs,
  ...
}:

let
  common = import ./common.nix { inherit lib; };
  cfg = config.services.journal;
  services = common.servicesOf cfg pkgs;
in
{
  options.services.journal = common.options {
    defaultPackage = defaultPackage pkgs;
    defaultPackageText = "journal's flake package for the host's system";
  };

  config = lib.mkIf cfg.enable {
    assertions = common.assertions "services.journal" cfg;

    home.packages = [ cfg.package ];

    systemd.user.services = lib.mapAttrs (name: svc: {
      Unit = {
        Description = svc.description;
        After = lib.optional (lib.hasPrefix "journal-serve-" name) "network.target";
      };
      Service = common.serviceConfig svc;
      Install.WantedBy = [ "default.target" ];
    }) services;
  };
}
