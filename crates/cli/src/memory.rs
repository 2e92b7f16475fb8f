//! How the long-running commands (`serve`, `mcp`, `watch`) give memory back.
//!
//! mimalloc returns freed memory to the system after `purge_delay` (1 s in the mimalloc v3
//! built here), and only when the thread that freed it next allocates or frees: a server that answered a document (a compile of
//! 10,000 entries peaks at some 300 MB) and then waited kept that peak, 250 MB and more, until
//! its next busy moment. With no delay the memory goes back as it is freed; the cost, more
//! `madvise` calls, was not measurable under 50 concurrent web clients (bench/web-load.py).
//! One-shot commands keep the default: they exit soon, and reindex allocates the most.

/// mimalloc's `mi_option_purge_delay` (its index in `mi_option_e`, `mimalloc.h` of the
/// mimalloc v3 that libmimalloc-sys 0.1.49 builds; libmimalloc-sys does not name it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Makes freed memory go back to the system at once (see the module's overview).
#[allow(unsafe_code)]
pub fn give_back_at_once() {
    // SAFETY: `mi_option_set` only stores an option value; any thread may call it at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
}

#[cfg(test)]
mod tests {
    #[test]
    #[allow(unsafe_code)]
    fn the_option_set_is_the_purge_delay() {
        // SAFETY: reading an option value.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(
            default, 1000,
            "mimalloc v3's purge_delay is 1000 ms by default"
        );
        super::give_back_at_once();
        // SAFETY: as above.
        assert_eq!(
            unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) },
            0
        );
    }
}
