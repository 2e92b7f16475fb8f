{
  description = "journal: a git-backed knowledge journal for infrastructure work";

  # A named release branch. flake.lock is left to the first `nix flake lock` (computing its
  # hashes needs the network; see the README's Nix section).
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";

  outputs =
    { self, nixpkgs }:
    let
      inherit (nixpkgs) lib;
      systems = [
        "x86_64-linux"
        "aarch64-linux"
        "x86_64-darwin"
        "aarch64-darwin"
      ];
      forAllSystems = f: lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
      # The modules' package when none is set: this flake's build for the host's system.
      defaultPackage = pkgs: self.packages.${pkgs.stdenv.hostPlatform.system}.default;
    in
    {
      packages = forAllSystems (pkgs: {
        default = pkgs.callPackage ./nix/package.nix { };
        journal = self.packages.${pkgs.stdenv.hostPlatform.system}.default;
      });

      apps = forAllSystems (pkgs: {
        default = {
          type = "app";
          program = lib.getExe self.packages.${pkgs.stdenv.hostPlatform.system}.default;
        };
      });

      # What scripts/test needs: the toolchain, git, Node for markdownlint and ajv, Chromium
      # and ChromeDriver for the browser tests, nix for the module checks.
      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          inputsFrom = [ self.packages.${pkgs.stdenv.hostPlatform.system}.default ];
          packages =
            with pkgs;
            [
              cargo
              rustc
              clippy
              rustfmt
              git
              nodejs
              python3
              python3Packages.selenium
              nix
            ]
            ++ lib.optionals stdenv.hostPlatform.isLinux [
              chromium
              chromedriver
            ];
        };
      });

      overlays.default = final: _prev: {
        journal = final.callPackage ./nix/package.nix { };
      };

      nixosModules.default = import ./nix/nixos.nix { inherit defaultPackage; };
      homeManagerModules.default = import ./nix/home-manager.nix { inherit defaultPackage; };
    };
}
