//! X-Road REST header values (PR-REST): `X-Road-Client`, `X-Road-Service`, `X-Road-Id`.
//!
//! Identifier parts are joined with `/`, each part percent-encoded (UTF-8) separately so a
//! `/` inside a part cannot shift the others; parsing decodes each part back.
//!
//! - client: `INSTANCE/MEMBERCLASS/MEMBERCODE[/SUBSYSTEM]`
//! - service: `INSTANCE/MEMBERCLASS/MEMBERCODE[/SUBSYSTEM]/SERVICECODE`
//!   (4 parts: no subsystem; 5 parts: with one)

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::{ExchangeError, Result};

/// Header name of the client identifier.
pub const CLIENT_HEADER: &str = "X-Road-Client";
/// Header name of the service identifier.
pub const SERVICE_HEADER: &str = "X-Road-Service";
/// Header name of the message id.
pub const ID_HEADER: &str = "X-Road-Id";
/// Longest header value accepted by the parsers.
pub const MAX_HEADER_BYTES: usize = 4096;

/// Everything but the RFC 3986 unreserved characters is encoded.
const PART: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// An X-Road member or subsystem: the client side of a call.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct XRoadClient {
    /// The X-Road instance (e.g. `EE`, `FI-TEST`).
    pub instance: String,
    /// The member class (e.g. `GOV`, `COM`).
    pub member_class: String,
    /// The member code.
    pub member_code: String,
    /// The subsystem, if any.
    pub subsystem: Option<String>,
}

/// An X-Road service.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct XRoadService {
    /// The providing member or subsystem.
    pub provider: XRoadClient,
    /// The service code.
    pub service_code: String,
}

fn encode(part: &str) -> Result<String> {
    if part.is_empty() {
        return Err(ExchangeError::InvalidXRoadId("identifier parts must not be empty".into()));
    }
    Ok(utf8_percent_encode(part, PART).to_string())
}

fn split(value: &str) -> Result<Vec<String>> {
    if value.len() > MAX_HEADER_BYTES {
        return Err(ExchangeError::InvalidXRoadId(format!(
            "header value longer than {MAX_HEADER_BYTES} bytes"
        )));
    }
    value
        .split('/')
        .map(|p| {
            if p.is_empty() {
                return Err(ExchangeError::InvalidXRoadId("empty identifier part".into()));
            }
            percent_decode_str(p)
                .decode_utf8()
                .map(std::borrow::Cow::into_owned)
                .map_err(|_| ExchangeError::InvalidXRoadId("a part is not UTF-8".into()))
        })
        .collect()
}

impl XRoadClient {
    /// Creates a member (no subsystem).
    pub fn member(
        instance: impl Into<String>,
        member_class: impl Into<String>,
        member_code: impl Into<String>,
    ) -> Self {
        XRoadClient {
            instance: instance.into(),
            member_class: member_class.into(),
            member_code: member_code.into(),
            subsystem: None,
        }
    }

    /// Returns this member's subsystem `subsystem`.
    #[must_use]
    pub fn with_subsystem(mut self, subsystem: impl Into<String>) -> Self {
        self.subsystem = Some(subsystem.into());
        self
    }

    fn parts(&self) -> Result<Vec<String>> {
        let mut parts =
            vec![encode(&self.instance)?, encode(&self.member_class)?, encode(&self.member_code)?];
        if let Some(s) = &self.subsystem {
            parts.push(encode(s)?);
        }
        Ok(parts)
    }

    /// Returns the `X-Road-Client` header value.
    ///
    /// # Errors
    ///
    /// [`ExchangeError::InvalidXRoadId`] for an empty part.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_exchange::xroad::XRoadClient;
    /// let c = XRoadClient::member("EE", "GOV", "70000310").with_subsystem("housing/benefits");
    /// assert_eq!(c.to_header()?, "EE/GOV/70000310/housing%2Fbenefits");
    /// assert_eq!(XRoadClient::parse(&c.to_header()?)?, c);
    /// # Ok::<(), dpikit_exchange::ExchangeError>(())
    /// ```
    pub fn to_header(&self) -> Result<String> {
        Ok(self.parts()?.join("/"))
    }

    /// Parses an `X-Road-Client` header value.
    ///
    /// # Errors
    ///
    /// [`ExchangeError::InvalidXRoadId`] unless there are 3 or 4 non-empty UTF-8 parts.
    pub fn parse(value: &str) -> Result<Self> {
        let mut parts = split(value)?.into_iter();
        match (parts.next(), parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(instance), Some(member_class), Some(member_code), subsystem, None) => {
                Ok(XRoadClient { instance, member_class, member_code, subsystem })
            }
            _ => Err(ExchangeError::InvalidXRoadId("a client has 3 or 4 parts".into())),
        }
    }
}

impl XRoadService {
    /// Creates a service of `provider`.
    pub fn new(provider: XRoadClient, service_code: impl Into<String>) -> Self {
        XRoadService { provider, service_code: service_code.into() }
    }

    /// Returns the `X-Road-Service` header value (also the path after `/r1/`).
    ///
    /// # Errors
    ///
    /// [`ExchangeError::InvalidXRoadId`] for an empty part.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_exchange::xroad::{XRoadClient, XRoadService};
    /// let s = XRoadService::new(XRoadClient::member("EE", "GOV", "70000310").with_subsystem("pop"), "residents v1");
    /// assert_eq!(s.to_header()?, "EE/GOV/70000310/pop/residents%20v1");
    /// assert_eq!(XRoadService::parse(&s.to_header()?)?, s);
    /// # Ok::<(), dpikit_exchange::ExchangeError>(())
    /// ```
    pub fn to_header(&self) -> Result<String> {
        let mut parts = self.provider.parts()?;
        parts.push(encode(&self.service_code)?);
        Ok(parts.join("/"))
    }

    /// Parses an `X-Road-Service` header value.
    ///
    /// # Errors
    ///
    /// [`ExchangeError::InvalidXRoadId`] unless there are 4 or 5 non-empty UTF-8 parts.
    pub fn parse(value: &str) -> Result<Self> {
        let mut parts = split(value)?;
        if !(4..=5).contains(&parts.len()) {
            return Err(ExchangeError::InvalidXRoadId("a service has 4 or 5 parts".into()));
        }
        let service_code = parts.pop().unwrap_or_default();
        let mut parts = parts.into_iter();
        let (Some(instance), Some(member_class), Some(member_code)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(ExchangeError::InvalidXRoadId("a service has 4 or 5 parts".into()));
        };
        Ok(XRoadService {
            provider: XRoadClient { instance, member_class, member_code, subsystem: parts.next() },
            service_code,
        })
    }
}

/// Returns the `X-Road-Id` header value for a message id (percent-encoded).
///
/// # Errors
///
/// [`ExchangeError::InvalidXRoadId`] for an empty or over-long id.
///
/// # Examples
///
/// ```
/// use dpikit_exchange::xroad::{message_id_header, parse_message_id};
/// let h = message_id_header("urn:uuid:5f0c/1")?;
/// assert_eq!(h, "urn%3Auuid%3A5f0c%2F1");
/// assert_eq!(parse_message_id(&h)?, "urn:uuid:5f0c/1");
/// # Ok::<(), dpikit_exchange::ExchangeError>(())
/// ```
pub fn message_id_header(id: &str) -> Result<String> {
    if id.len() > MAX_HEADER_BYTES {
        return Err(ExchangeError::InvalidXRoadId("message id too long".into()));
    }
    encode(id)
}

/// Parses an `X-Road-Id` header value.
///
/// # Errors
///
/// [`ExchangeError::InvalidXRoadId`] for an empty, over-long or non-UTF-8 value.
pub fn parse_message_id(value: &str) -> Result<String> {
    if value.is_empty() || value.len() > MAX_HEADER_BYTES {
        return Err(ExchangeError::InvalidXRoadId("bad message id length".into()));
    }
    percent_decode_str(value)
        .decode_utf8()
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| ExchangeError::InvalidXRoadId("the message id is not UTF-8".into()))
}
