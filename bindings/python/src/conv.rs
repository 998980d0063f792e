//! Python ⇄ JSON conversions, timestamps, and the inputs that take "a JSON str or a dict".

use std::borrow::Cow;

use dpikit_core::time::{Timestamp, parse_rfc3339};
use dpikit_core::{ErrorCode, Limits, parse_json};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::errors::{invalid_argument, raise, to_py};

/// Converts a JSON str/bytes (bounded intake: size, depth, duplicate keys) or a Python
/// dict/list/scalar structure (the same size and depth limits, [`py_to_value`]) to a JSON value.
pub(crate) fn json_in(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if let Ok(text) = obj.cast::<PyString>() {
        return parse_json(text_of(text)?.as_bytes(), &Limits::default()).map_err(to_py);
    }
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return parse_json(bytes.as_bytes(), &Limits::default()).map_err(to_py);
    }
    py_to_value(obj)
}

/// Converts a JSON input to its text, for the core APIs that parse bytes themselves.
pub(crate) fn json_bytes(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(text) = obj.cast::<PyString>() {
        return Ok(text_of(text)?.as_bytes().to_vec());
    }
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    serde_json::to_vec(&py_to_value(obj)?).map_err(|e| raise(ErrorCode::Internal, e.to_string()))
}

/// Converts a Python structure (None, bool, int, float, str, dict with str keys, list,
/// tuple, and their subclasses) to a JSON value, within the JSON intake's default limits:
/// nesting deeper than [`Limits::DEFAULT_MAX_DEPTH`] is `nesting_too_deep`, a structure whose
/// JSON text would exceed [`Limits::DEFAULT_MAX_BYTES`] is `input_too_large` (counted from
/// its strings and keys), NaN, infinities and integers beyond 64 bits are
/// `number_out_of_range`, anything else (a non-str key, a `set`, an object) is
/// `invalid_argument`.
///
/// Exact built-in types are read directly (one type comparison each) into preallocated maps and
/// arrays; no serde or `json` round trip.
pub(crate) fn py_to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let mut budget = Limits::DEFAULT_MAX_BYTES;
    to_value(obj, Limits::DEFAULT_MAX_DEPTH, &mut budget)
}

/// Takes `n` bytes from the size budget.
fn spend(budget: &mut usize, n: usize) -> PyResult<()> {
    *budget = budget.checked_sub(n).ok_or_else(|| {
        raise(ErrorCode::InputTooLarge, "structure exceeds the JSON size limit (1 MiB)")
    })?;
    Ok(())
}

fn too_deep() -> PyErr {
    raise(ErrorCode::NestingTooDeep, "structure nests too deeply")
}

/// One value; `depth` is how many more levels of arrays and objects are allowed.
fn to_value(obj: &Bound<'_, PyAny>, depth: usize, budget: &mut usize) -> PyResult<Value> {
    if let Ok(s) = obj.cast_exact::<PyString>() {
        let text = text_of(s)?;
        spend(budget, text.len() + 2)?;
        return Ok(Value::String(text.into_owned()));
    }
    spend(budget, 1)?;
    if let Ok(d) = obj.cast_exact::<PyDict>() {
        return object(d, depth, budget);
    }
    if let Ok(l) = obj.cast_exact::<PyList>() {
        let depth = depth.checked_sub(1).ok_or_else(too_deep)?;
        let mut items = Vec::with_capacity(l.len());
        for item in l.iter() {
            items.push(to_value(&item, depth, budget)?);
        }
        return Ok(Value::Array(items));
    }
    if obj.is_exact_instance_of::<PyInt>() {
        return int(obj);
    }
    if let Ok(f) = obj.cast_exact::<PyFloat>() {
        return float(f.value());
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    subclass_to_value(obj, depth, budget)
}

/// The isinstance ladder for subclasses of the JSON types (str and int enums, OrderedDict,
/// named tuples) and tuples.
fn subclass_to_value(obj: &Bound<'_, PyAny>, depth: usize, budget: &mut usize) -> PyResult<Value> {
    if let Ok(s) = obj.cast::<PyString>() {
        let text = text_of(s)?;
        spend(budget, text.len() + 2)?;
        Ok(Value::String(text.into_owned()))
    } else if obj.is_instance_of::<PyInt>() {
        int(obj)
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        float(f.value())
    } else if let Ok(d) = obj.cast::<PyDict>() {
        object(d, depth, budget)
    } else if let Ok(l) = obj.cast::<PyList>() {
        let depth = depth.checked_sub(1).ok_or_else(too_deep)?;
        l.iter().map(|v| to_value(&v, depth, budget)).collect::<PyResult<_>>().map(Value::Array)
    } else if let Ok(t) = obj.cast::<PyTuple>() {
        let depth = depth.checked_sub(1).ok_or_else(too_deep)?;
        t.iter().map(|v| to_value(&v, depth, budget)).collect::<PyResult<_>>().map(Value::Array)
    } else {
        Err(invalid_argument(format!(
            "cannot convert {} to JSON",
            obj.get_type().name().map_or_else(|_| "?".to_owned(), |n| n.to_string())
        )))
    }
}

/// A dict with str keys, into a map of its size.
fn object(d: &Bound<'_, PyDict>, depth: usize, budget: &mut usize) -> PyResult<Value> {
    let depth = depth.checked_sub(1).ok_or_else(too_deep)?;
    let mut map = Map::with_capacity(d.len());
    for (k, v) in d.iter() {
        let key = k.cast::<PyString>().map_err(|_| invalid_argument("dict keys must be str"))?;
        let key = text_of(key)?;
        spend(budget, key.len() + 3)?;
        map.insert(key.into_owned(), to_value(&v, depth, budget)?);
    }
    Ok(Value::Object(map))
}

fn int(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if let Ok(i) = obj.extract::<i64>() {
        return Ok(Value::from(i));
    }
    obj.extract::<u64>()
        .map(Value::from)
        .map_err(|_| raise(ErrorCode::NumberOutOfRange, "integer does not fit in 64 bits"))
}

fn float(f: f64) -> PyResult<Value> {
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| raise(ErrorCode::NumberOutOfRange, "NaN and infinity are not JSON"))
}

/// The UTF-8 text of a str: borrowed from the str's own UTF-8 cache where the running Python
/// offers it in the stable ABI (3.10 and later), else through an encoded copy.
pub(crate) fn text_of<'a>(s: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, str>> {
    #[cfg(not(windows))]
    if utf8_in_stable_abi(s.py()) {
        return utf8::borrow(s).map(Cow::Borrowed);
    }
    s.to_cow()
}

/// Whether `PyUnicode_AsUTF8AndSize` is part of the running interpreter's stable ABI (3.10+).
#[cfg(not(windows))]
fn utf8_in_stable_abi(py: Python<'_>) -> bool {
    use std::sync::atomic::{AtomicU8, Ordering};
    // 0: not asked yet, 1: no, 2: yes.
    static KNOWN: AtomicU8 = AtomicU8::new(0);
    match KNOWN.load(Ordering::Relaxed) {
        0 => {
            let yes = py.version_info() >= (3, 10);
            KNOWN.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
            yes
        }
        v => v == 2,
    }
}

/// `PyUnicode_AsUTF8AndSize`, which joined the stable ABI in Python 3.10; pyo3 declares it only
/// for builds against 3.10+, and the wheel targets abi3 3.9, so it is declared here and called
/// only after [`utf8_in_stable_abi`]. (On Windows the abi3 import library of 3.9 lacks it.)
#[cfg(not(windows))]
#[allow(unsafe_code)]
mod utf8 {
    use pyo3::ffi::{Py_ssize_t, PyObject};
    use pyo3::prelude::*;
    use pyo3::types::PyString;

    unsafe extern "C" {
        fn PyUnicode_AsUTF8AndSize(
            unicode: *mut PyObject,
            size: *mut Py_ssize_t,
        ) -> *const std::ffi::c_char;
    }

    /// The str's UTF-8 text, borrowed for as long as the str.
    pub(super) fn borrow<'a>(s: &'a Bound<'_, PyString>) -> PyResult<&'a str> {
        let mut size: Py_ssize_t = 0;
        // SAFETY: `s` is a live str and the GIL is held (the `Bound`); the call returns null
        // with an exception set (lone surrogates), or a pointer to `size` bytes of valid UTF-8
        // that the str owns and keeps until it is freed, which `'a` outlives.
        unsafe {
            let data = PyUnicode_AsUTF8AndSize(s.as_ptr(), &raw mut size);
            if data.is_null() {
                return Err(PyErr::fetch(s.py()));
            }
            let len = usize::try_from(size).unwrap_or(0);
            Ok(std::str::from_utf8_unchecked(std::slice::from_raw_parts(data.cast::<u8>(), len)))
        }
    }
}

/// Converts a JSON value to plain Python objects (dict, list, str, int, float, bool, None).
pub(crate) fn value_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, value_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// Converts anything serde can serialize to plain Python objects.
pub(crate) fn to_py_obj<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let value =
        serde_json::to_value(value).map_err(|e| raise(ErrorCode::Internal, e.to_string()))?;
    value_to_py(py, &value)
}

/// Reads an instant: an RFC 3339 str, or an aware `datetime` (a naive one is refused with
/// `invalid_timestamp`).
pub(crate) fn timestamp(obj: &Bound<'_, PyAny>) -> PyResult<Timestamp> {
    let text: String = if let Ok(s) = obj.cast::<PyString>() {
        s.to_cow()?.into_owned()
    } else if obj.hasattr("isoformat")? {
        obj.call_method0("isoformat")?.extract()?
    } else {
        return Err(invalid_argument("a time must be an RFC 3339 str or a datetime"));
    };
    parse_rfc3339(&text).map_err(to_py)
}

/// Reads an optional instant; `None` is now.
pub(crate) fn timestamp_or_now(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Timestamp> {
    obj.filter(|o| !o.is_none()).map_or_else(|| Ok(chrono::Utc::now()), timestamp)
}

/// Reads text input (XML, CSV): a str or UTF-8 bytes.
pub(crate) fn bytes_in(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(text) = obj.cast::<PyString>() {
        return Ok(text.to_cow()?.as_bytes().to_vec());
    }
    obj.cast::<PyBytes>()
        .map(|b| b.as_bytes().to_vec())
        .map_err(|_| invalid_argument("expected str or bytes"))
}

/// Declares a small frozen result class with one read-only attribute per field, `to_dict()`
/// (so `pandas.DataFrame([r.to_dict() for r in rows])` works), equality and a repr.
macro_rules! row_class {
    ($(#[$meta:meta])* $rust:ident, $py:literal, $module:literal {
        $($(#[$fmeta:meta])* $field:ident: $ty:ty),* $(,)?
    }) => {
        $(#[$meta])*
        #[pyo3::pyclass(frozen, get_all, eq, module = $module, name = $py)]
        #[derive(Debug, Clone, PartialEq)]
        pub(crate) struct $rust {
            $($(#[$fmeta])* pub(crate) $field: $ty,)*
        }

        #[pyo3::pymethods]
        impl $rust {
            /// The attributes as a dict.
            fn to_dict<'py>(
                &self,
                py: pyo3::Python<'py>,
            ) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::types::PyDict>> {
                let d = pyo3::types::PyDict::new(py);
                $(pyo3::types::PyDictMethods::set_item(&d, stringify!($field), self.$field.clone())?;)*
                Ok(d)
            }

            fn __repr__(&self) -> String {
                let fields: Vec<String> = vec![$(format!("{}={:?}", stringify!($field), self.$field)),*];
                format!("{}({})", $py, fields.join(", "))
            }
        }
    };
}
pub(crate) use row_class;
