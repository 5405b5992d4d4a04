//! How counts and sizes are written in messages for users: `50,001`, `12.4 MB`.

/// A count with thousands separators: `50001` → `50,001`.
pub fn count(n: u64) -> String {
    grouped(n, ',')
}

/// A count as Vietnamese writes it, thousands grouped by dots: `1000000` → `1.000.000`.
pub fn count_vi(n: u64) -> String {
    grouped(n, '.')
}

fn grouped(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    // A separator goes before every digit with a multiple of three digits after it.
    let phase = digits.len() % 3;
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && i % 3 == phase {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

const KB: u64 = 1024;
const MB: u64 = 1024 * KB;
const GB: u64 = 1024 * MB;

/// A size the way file managers show it: `12.4 MB`, `10 MB`, `2 GB`, `512 bytes` (binary
/// units, one decimal, a trailing `.0` dropped). A size just above a limit never rounds down
/// to the limit: `10 MB + 1 byte` is `10.1 MB`, so a message never reads "10 MB; the limit is
/// 10 MB".
pub fn bytes(n: u64) -> String {
    let (unit, name) = if n >= GB {
        (GB, "GB")
    } else if n >= MB {
        (MB, "MB")
    } else if n >= KB {
        (KB, "KB")
    } else {
        return format!("{} bytes", count(n));
    };
    // Tenths, rounded up so that a size over a limit never prints as the limit itself.
    let tenths = (u128::from(n) * 10).div_ceil(u128::from(unit));
    let (whole, tenth) = (tenths / 10, tenths % 10);
    if tenth == 0 {
        format!("{} {name}", count(whole as u64))
    } else {
        format!("{}.{tenth} {name}", count(whole as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(0), "0", "zero has no separator");
        assert_eq!(count(999), "999", "three digits have no separator");
        assert_eq!(count(1_000), "1,000", "a separator every three digits");
        assert_eq!(count(50_001), "50,001", "the row-limit message");
        assert_eq!(count(1_234_567), "1,234,567", "several groups");
    }

    #[test]
    fn vietnamese_counts_group_thousands_with_dots() {
        assert_eq!(count_vi(999), "999", "three digits have no separator");
        assert_eq!(count_vi(1_000_000), "1.000.000", "a dot every three digits");
        assert_eq!(count_vi(50_001), "50.001");
    }

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(
            bytes(10 * MB),
            "10 MB",
            "a whole number of MB has no decimal"
        );
        assert_eq!(
            bytes(10 * MB + 1),
            "10.1 MB",
            "just over a limit never prints as it"
        );
        assert_eq!(bytes(13_002_342), "12.4 MB", "one decimal");
        assert_eq!(bytes(2 * GB), "2 GB", "gigabytes");
        assert_eq!(bytes(512), "512 bytes", "small sizes in bytes");
    }
}
