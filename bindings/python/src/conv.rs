//! Python ⇄ JSON conversions, timestamps, and the inputs that take "a JSON str or a dict".

use dpikit_core::time::{Timestamp, parse_rfc3339};
use dpikit_core::{ErrorCode, Limits, parse_json};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::errors::{invalid_argument, raise, to_py};

/// Deepest Python structure converted to JSON (the core intake allows at most 127).
const MAX_DEPTH: usize = 127;

/// Converts a JSON str/bytes (bounded intake: size, depth, duplicate keys) or a Python
/// dict/list/scalar structure to a JSON value.
pub(crate) fn json_in(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    if let Ok(text) = obj.cast::<PyString>() {
        return parse_json(text.to_cow()?.as_bytes(), &Limits::default()).map_err(to_py);
    }
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return parse_json(bytes.as_bytes(), &Limits::default()).map_err(to_py);
    }
    py_to_value(obj, 0)
}

/// Converts a JSON input to its text, for the core APIs that parse bytes themselves.
pub(crate) fn json_bytes(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(text) = obj.cast::<PyString>() {
        return Ok(text.to_cow()?.as_bytes().to_vec());
    }
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    serde_json::to_vec(&py_to_value(obj, 0)?).map_err(|e| raise(ErrorCode::Internal, e.to_string()))
}

/// Converts a Python structure (None, bool, int, float, str, dict with str keys, list,
/// tuple) to a JSON value.
pub(crate) fn py_to_value(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(raise(ErrorCode::NestingTooDeep, "structure nests too deeply"));
    }
    if obj.is_none() {
        Ok(Value::Null)
    } else if let Ok(b) = obj.cast::<PyBool>() {
        Ok(Value::Bool(b.is_true()))
    } else if obj.is_instance_of::<PyInt>() {
        if let Ok(i) = obj.extract::<i64>() {
            Ok(Value::from(i))
        } else {
            obj.extract::<u64>()
                .map(Value::from)
                .map_err(|_| raise(ErrorCode::NumberOutOfRange, "integer does not fit in 64 bits"))
        }
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| raise(ErrorCode::NumberOutOfRange, "NaN and infinity are not JSON"))
    } else if let Ok(s) = obj.cast::<PyString>() {
        Ok(Value::String(s.to_cow()?.into_owned()))
    } else if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key =
                k.cast::<PyString>().map_err(|_| invalid_argument("dict keys must be str"))?;
            map.insert(key.to_cow()?.into_owned(), py_to_value(&v, depth + 1)?);
        }
        Ok(Value::Object(map))
    } else if let Ok(l) = obj.cast::<PyList>() {
        l.iter().map(|v| py_to_value(&v, depth + 1)).collect::<PyResult<_>>().map(Value::Array)
    } else if let Ok(t) = obj.cast::<PyTuple>() {
        t.iter().map(|v| py_to_value(&v, depth + 1)).collect::<PyResult<_>>().map(Value::Array)
    } else {
        Err(invalid_argument(format!(
            "cannot convert {} to JSON",
            obj.get_type().name().map_or_else(|_| "?".to_owned(), |n| n.to_string())
        )))
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
