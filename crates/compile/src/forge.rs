//! Commit links from a repository's remote URL: GitHub, GitLab, Gitea / Forgejo / Codeberg,
//! sourcehut and Bitbucket, from their ssh, scp-like or https forms.

/// How a forge spells the web page of a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Forge {
    /// `<base>/commit/<sha>`: GitHub, Gitea, Forgejo, Codeberg, sourcehut.
    Commit,
    /// `<base>/-/commit/<sha>`: GitLab.
    GitLab,
    /// `<base>/commits/<sha>`: Bitbucket.
    Bitbucket,
}

/// Web links for one repository's commits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitLinks {
    template: String,
}

impl CommitLinks {
    /// Reads a remote URL (`git@github.com:org/repo.git`, `ssh://git@host:2222/org/repo`,
    /// `https://gitlab.com/group/sub/repo.git`, …) or a configured web URL. A URL holding
    /// `{sha}` is taken as the link pattern itself. Returns `None` for what has no web page (a
    /// local path, `file://`).
    pub fn from_url(url: &str) -> Option<Self> {
        let url = url.trim();
        if url.contains("{sha}") {
            return Some(Self {
                template: url.to_owned(),
            });
        }
        let (scheme, host, path) = split_url(url)?;
        let path = path.trim_matches('/');
        let path = path
            .strip_suffix(".git")
            .unwrap_or(path)
            .trim_end_matches('/');
        if host.is_empty() || path.is_empty() {
            return None;
        }
        let forge = if host.contains("gitlab") {
            Forge::GitLab
        } else if host.contains("bitbucket") {
            Forge::Bitbucket
        } else {
            Forge::Commit
        };
        let commit = match forge {
            Forge::Commit => "commit",
            Forge::GitLab => "-/commit",
            Forge::Bitbucket => "commits",
        };
        Some(Self {
            template: format!("{scheme}://{host}/{path}/{commit}/{{sha}}"),
        })
    }

    /// Returns the web page of commit `sha`.
    pub fn commit(&self, sha: &str) -> String {
        self.template.replace("{sha}", sha)
    }
}

/// Splits a remote URL into the web scheme, the host (no user, no port) and the path.
fn split_url(url: &str) -> Option<(&'static str, &str, &str)> {
    if let Some((scheme, rest)) = url.split_once("://") {
        let web = match scheme {
            "http" => "http",
            "https" | "ssh" | "git" | "git+ssh" | "ssh+git" => "https",
            _ => return None,
        };
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = host.split_once(':').map_or(host, |(h, _)| h);
        return Some((web, host, path));
    }
    // scp-like: [user@]host:path, where host has no slash before the colon.
    let (authority, path) = url.split_once(':')?;
    // A single letter is a Windows drive (`C:/repos/infra`), not a host.
    if authority.contains('/') || authority.len() < 2 {
        return None;
    }
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    Some(("https", host, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "9f1c2e7b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f";

    fn link(url: &str) -> Option<String> {
        CommitLinks::from_url(url).map(|l| l.commit(SHA))
    }

    #[test]
    fn every_forge_from_every_remote_form() {
        let cases = [
            (
                "git@github.com:org/infra.git",
                "https://github.com/org/infra/commit/",
            ),
            (
                "https://github.com/org/infra",
                "https://github.com/org/infra/commit/",
            ),
            (
                "https://github.com/org/infra.git/",
                "https://github.com/org/infra/commit/",
            ),
            (
                "ssh://git@github.com/org/infra.git",
                "https://github.com/org/infra/commit/",
            ),
            (
                "git@gitlab.com:group/sub/infra.git",
                "https://gitlab.com/group/sub/infra/-/commit/",
            ),
            (
                "https://gitlab.example.org/ops/infra.git",
                "https://gitlab.example.org/ops/infra/-/commit/",
            ),
            (
                "https://codeberg.org/ops/infra.git",
                "https://codeberg.org/ops/infra/commit/",
            ),
            (
                "ssh://git@codeberg.org:2222/ops/infra.git",
                "https://codeberg.org/ops/infra/commit/",
            ),
            (
                "https://gitea.example.org/ops/infra",
                "https://gitea.example.org/ops/infra/commit/",
            ),
            (
                "git@git.sr.ht:~ops/infra",
                "https://git.sr.ht/~ops/infra/commit/",
            ),
            (
                "https://git.sr.ht/~ops/infra",
                "https://git.sr.ht/~ops/infra/commit/",
            ),
            (
                "git@bitbucket.org:ops/infra.git",
                "https://bitbucket.org/ops/infra/commits/",
            ),
            (
                "https://user@bitbucket.org/ops/infra.git",
                "https://bitbucket.org/ops/infra/commits/",
            ),
            (
                "http://git.lan/ops/infra",
                "http://git.lan/ops/infra/commit/",
            ),
        ];
        for (url, base) in cases {
            assert_eq!(link(url), Some(format!("{base}{SHA}")), "{url}");
        }
    }

    #[test]
    fn a_pattern_is_used_as_given_and_local_remotes_have_no_links() {
        assert_eq!(
            link("https://cgit.example.org/infra/commit/?id={sha}"),
            Some(format!("https://cgit.example.org/infra/commit/?id={SHA}"))
        );
        assert_eq!(link("/srv/git/infra.git"), None);
        assert_eq!(link("../infra"), None);
        assert_eq!(link("file:///srv/git/infra.git"), None);
        assert_eq!(link("C:/repos/infra"), None);
    }
}
