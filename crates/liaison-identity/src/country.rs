//! ISO 3166-1 country codes: the alpha-2 <-> alpha-3 table.
//!
//! RFC 3739 writes countryOfCitizenship as a two-letter code while Liaison
//! speaks alpha-3 everywhere else, so the certificate codec needs an exact
//! mapping. The table holds the 249 officially assigned ISO 3166-1 codes, as
//! published in Debian's iso-codes 4.15.0 (`iso_3166-1.json`); user-assigned
//! codes (such as XK for Kosovo) are deliberately absent, so a certificate
//! using one is refused rather than guessed at.

/// `(alpha-2, alpha-3)` pairs, sorted by alpha-2.
#[rustfmt::skip]
const COUNTRIES: &[(&str, &str)] = &[
    ("AD", "AND"), ("AE", "ARE"), ("AF", "AFG"), ("AG", "ATG"), ("AI", "AIA"),
    ("AL", "ALB"), ("AM", "ARM"), ("AO", "AGO"), ("AQ", "ATA"), ("AR", "ARG"),
    ("AS", "ASM"), ("AT", "AUT"), ("AU", "AUS"), ("AW", "ABW"), ("AX", "ALA"),
    ("AZ", "AZE"), ("BA", "BIH"), ("BB", "BRB"), ("BD", "BGD"), ("BE", "BEL"),
    ("BF", "BFA"), ("BG", "BGR"), ("BH", "BHR"), ("BI", "BDI"), ("BJ", "BEN"),
    ("BL", "BLM"), ("BM", "BMU"), ("BN", "BRN"), ("BO", "BOL"), ("BQ", "BES"),
    ("BR", "BRA"), ("BS", "BHS"), ("BT", "BTN"), ("BV", "BVT"), ("BW", "BWA"),
    ("BY", "BLR"), ("BZ", "BLZ"), ("CA", "CAN"), ("CC", "CCK"), ("CD", "COD"),
    ("CF", "CAF"), ("CG", "COG"), ("CH", "CHE"), ("CI", "CIV"), ("CK", "COK"),
    ("CL", "CHL"), ("CM", "CMR"), ("CN", "CHN"), ("CO", "COL"), ("CR", "CRI"),
    ("CU", "CUB"), ("CV", "CPV"), ("CW", "CUW"), ("CX", "CXR"), ("CY", "CYP"),
    ("CZ", "CZE"), ("DE", "DEU"), ("DJ", "DJI"), ("DK", "DNK"), ("DM", "DMA"),
    ("DO", "DOM"), ("DZ", "DZA"), ("EC", "ECU"), ("EE", "EST"), ("EG", "EGY"),
    ("EH", "ESH"), ("ER", "ERI"), ("ES", "ESP"), ("ET", "ETH"), ("FI", "FIN"),
    ("FJ", "FJI"), ("FK", "FLK"), ("FM", "FSM"), ("FO", "FRO"), ("FR", "FRA"),
    ("GA", "GAB"), ("GB", "GBR"), ("GD", "GRD"), ("GE", "GEO"), ("GF", "GUF"),
    ("GG", "GGY"), ("GH", "GHA"), ("GI", "GIB"), ("GL", "GRL"), ("GM", "GMB"),
    ("GN", "GIN"), ("GP", "GLP"), ("GQ", "GNQ"), ("GR", "GRC"), ("GS", "SGS"),
    ("GT", "GTM"), ("GU", "GUM"), ("GW", "GNB"), ("GY", "GUY"), ("HK", "HKG"),
    ("HM", "HMD"), ("HN", "HND"), ("HR", "HRV"), ("HT", "HTI"), ("HU", "HUN"),
    ("ID", "IDN"), ("IE", "IRL"), ("IL", "ISR"), ("IM", "IMN"), ("IN", "IND"),
    ("IO", "IOT"), ("IQ", "IRQ"), ("IR", "IRN"), ("IS", "ISL"), ("IT", "ITA"),
    ("JE", "JEY"), ("JM", "JAM"), ("JO", "JOR"), ("JP", "JPN"), ("KE", "KEN"),
    ("KG", "KGZ"), ("KH", "KHM"), ("KI", "KIR"), ("KM", "COM"), ("KN", "KNA"),
    ("KP", "PRK"), ("KR", "KOR"), ("KW", "KWT"), ("KY", "CYM"), ("KZ", "KAZ"),
    ("LA", "LAO"), ("LB", "LBN"), ("LC", "LCA"), ("LI", "LIE"), ("LK", "LKA"),
    ("LR", "LBR"), ("LS", "LSO"), ("LT", "LTU"), ("LU", "LUX"), ("LV", "LVA"),
    ("LY", "LBY"), ("MA", "MAR"), ("MC", "MCO"), ("MD", "MDA"), ("ME", "MNE"),
    ("MF", "MAF"), ("MG", "MDG"), ("MH", "MHL"), ("MK", "MKD"), ("ML", "MLI"),
    ("MM", "MMR"), ("MN", "MNG"), ("MO", "MAC"), ("MP", "MNP"), ("MQ", "MTQ"),
    ("MR", "MRT"), ("MS", "MSR"), ("MT", "MLT"), ("MU", "MUS"), ("MV", "MDV"),
    ("MW", "MWI"), ("MX", "MEX"), ("MY", "MYS"), ("MZ", "MOZ"), ("NA", "NAM"),
    ("NC", "NCL"), ("NE", "NER"), ("NF", "NFK"), ("NG", "NGA"), ("NI", "NIC"),
    ("NL", "NLD"), ("NO", "NOR"), ("NP", "NPL"), ("NR", "NRU"), ("NU", "NIU"),
    ("NZ", "NZL"), ("OM", "OMN"), ("PA", "PAN"), ("PE", "PER"), ("PF", "PYF"),
    ("PG", "PNG"), ("PH", "PHL"), ("PK", "PAK"), ("PL", "POL"), ("PM", "SPM"),
    ("PN", "PCN"), ("PR", "PRI"), ("PS", "PSE"), ("PT", "PRT"), ("PW", "PLW"),
    ("PY", "PRY"), ("QA", "QAT"), ("RE", "REU"), ("RO", "ROU"), ("RS", "SRB"),
    ("RU", "RUS"), ("RW", "RWA"), ("SA", "SAU"), ("SB", "SLB"), ("SC", "SYC"),
    ("SD", "SDN"), ("SE", "SWE"), ("SG", "SGP"), ("SH", "SHN"), ("SI", "SVN"),
    ("SJ", "SJM"), ("SK", "SVK"), ("SL", "SLE"), ("SM", "SMR"), ("SN", "SEN"),
    ("SO", "SOM"), ("SR", "SUR"), ("SS", "SSD"), ("ST", "STP"), ("SV", "SLV"),
    ("SX", "SXM"), ("SY", "SYR"), ("SZ", "SWZ"), ("TC", "TCA"), ("TD", "TCD"),
    ("TF", "ATF"), ("TG", "TGO"), ("TH", "THA"), ("TJ", "TJK"), ("TK", "TKL"),
    ("TL", "TLS"), ("TM", "TKM"), ("TN", "TUN"), ("TO", "TON"), ("TR", "TUR"),
    ("TT", "TTO"), ("TV", "TUV"), ("TW", "TWN"), ("TZ", "TZA"), ("UA", "UKR"),
    ("UG", "UGA"), ("UM", "UMI"), ("US", "USA"), ("UY", "URY"), ("UZ", "UZB"),
    ("VA", "VAT"), ("VC", "VCT"), ("VE", "VEN"), ("VG", "VGB"), ("VI", "VIR"),
    ("VN", "VNM"), ("VU", "VUT"), ("WF", "WLF"), ("WS", "WSM"), ("YE", "YEM"),
    ("YT", "MYT"), ("ZA", "ZAF"), ("ZM", "ZMB"), ("ZW", "ZWE"),
];

/// Number of entries, checked by the tests against the standard's count.
#[cfg(test)]
pub(crate) const COUNTRY_COUNT: usize = COUNTRIES.len();

/// The alpha-3 code for an officially assigned alpha-2 code.
pub(crate) fn alpha3_for_alpha2(alpha2: &str) -> Option<&'static str> {
    COUNTRIES
        .binary_search_by(|(a2, _)| (*a2).cmp(alpha2))
        .ok()
        .and_then(|i| COUNTRIES.get(i))
        .map(|(_, a3)| *a3)
}

/// The alpha-2 code for an officially assigned alpha-3 code.
pub(crate) fn alpha2_for_alpha3(alpha3: &str) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|(_, a3)| *a3 == alpha3)
        .map(|(a2, _)| *a2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search_and_has_no_duplicates() {
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
        let mut alpha3: Vec<&str> = COUNTRIES.iter().map(|(_, a3)| *a3).collect();
        alpha3.sort_unstable();
        alpha3.dedup();
        assert_eq!(alpha3.len(), COUNTRIES.len());
    }

    #[test]
    fn every_entry_maps_both_ways() {
        for (a2, a3) in COUNTRIES {
            assert_eq!(alpha3_for_alpha2(a2), Some(*a3));
            assert_eq!(alpha2_for_alpha3(a3), Some(*a2));
            assert!(a2.len() == 2 && a3.len() == 3);
            assert!(a2.bytes().chain(a3.bytes()).all(|b| b.is_ascii_uppercase()));
        }
    }
}
