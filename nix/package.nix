# The `journal` package: the binary, its shell completions and its manual pages.
#
# Built with rustPlatform.buildRustPackage from the repository's Cargo.lock. Every C part is
# built from source by its crate (libgit2 vendored, SQLite bundled): no system library is
# needed. `git` is put on the binary's PATH: `journal sync` and the history walk run it.
{
  lib,
  rustPlatform,
  installShellFiles,
  makeWrapper,
  git,
  stdenv,
}:

let
  cargoToml = lib.importTOML ../Cargo.toml;
in
rustPlatform.buildRustPackage {
  pname = "journal";
  inherit (cargoToml.workspace.package) version;

  src = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.unions [
      ../Cargo.toml
      ../Cargo.lock
      ../crates
      ../index
      ../journal
      # Cargo reads the manifest's targets, the end-to-end tests among them.
      ../tests/e2e
    ];
  };

  cargoLock.lockFile = ../Cargo.lock;

  # Only the binary: the test suite drives real git repositories, Node tools (markdownlint,
  # ajv) and Chromium; it runs with scripts/test.
  cargoBuildFlags = [
    "--package"
    "journal"
    "--bin"
    "journal"
  ];
  doCheck = false;

  nativeBuildInputs = [
    installShellFiles
    makeWrapper
  ];

  postInstall = lib.optionalString (stdenv.buildPlatform.canExecute stdenv.hostPlatform) ''
    installShellCompletion --cmd journal \
      --bash <($out/bin/journal completions bash) \
      --zsh <($out/bin/journal completions zsh) \
      --fish <($out/bin/journal completions fish)
    mkdir -p man
    $out/bin/journal man --out man
    installManPage man/*.1
  '';

  postFixup = ''
    wrapProgram $out/bin/journal --suffix PATH : ${lib.makeBinPath [ git ]}
  '';

  meta = {
    description = "A git-backed knowledge journal for infrastructure work";
    license = with lib.licenses; [
      mit
      asl20
    ];
    mainProgram = "journal";
    platforms = lib.platforms.unix;
  };
}
