//! The extension's global allocator: mimalloc, with its plain entry points wherever they
//! already give the alignment asked for.
//!
//! The `mimalloc` crate sends every request through `mi_malloc_aligned`, which costs about
//! twice the instructions of `mi_malloc` on the small-block path (a dict read into a JSON
//! value makes about a hundred such allocations). Every mimalloc block is word-aligned: block
//! sizes are multiples of the word and a page's first block is 16-aligned
//! (`MI_PAGE_MIN_START_BLOCK_ALIGN`), so alignments up to a word take `mi_malloc`,
//! `mi_zalloc` and `mi_realloc`; larger ones keep the aligned calls. Debug builds (the wheel
//! `make test` runs the Python suite on) assert the alignment of every block handed out.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment every mimalloc block has.
const WORD: usize = std::mem::size_of::<usize>();

/// mimalloc as the global allocator (see the module documentation).
pub(crate) struct MiMalloc;

// SAFETY: each method hands the layout's size to mimalloc and asks for the layout's alignment
// either explicitly (`*_aligned`) or only where every mimalloc block has it (`align <= WORD`);
// memory is freed with `mi_free`, which takes blocks from either entry point.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        let p = unsafe {
            if layout.align() <= WORD {
                mi::mi_malloc(layout.size())
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align())
            }
        };
        aligned(p, layout.align())
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        let p = unsafe {
            if layout.align() <= WORD {
                mi::mi_zalloc(layout.size())
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align())
            }
        };
        aligned(p, layout.align())
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: see the impl; `ptr` came from this allocator with `layout`.
        let p = unsafe {
            if layout.align() <= WORD {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size)
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align())
            }
        };
        aligned(p, layout.align())
    }
}

/// The block, checked for its alignment in debug builds.
#[inline]
fn aligned(p: *mut c_void, align: usize) -> *mut u8 {
    debug_assert!(p.is_null() || (p as usize).is_multiple_of(align), "misaligned block");
    p.cast()
}
