/**
 * A self-signed certificate for localhost and 127.0.0.1 (valid 2000–2100), for the sandbox's
 * https mode in tests: a client that verifies certificates refuses it unless it is given as a
 * trusted CA. A test fixture only; it protects nothing.
 */
export const SANDBOX_TLS = {
  cert: `-----BEGIN CERTIFICATE-----
MIIBVTCB/KADAgECAgEBMAoGCCqGSM49BAMCMBQxEjAQBgNVBAMMCWxvY2FsaG9z
dDAgFw0wMDAxMDEwMDAwMDBaGA8yMTAwMDEwMTAwMDAwMFowFDESMBAGA1UEAwwJ
bG9jYWxob3N0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAERfV7xX1/WHGQK8kQ
yAwcepsnT+bTv90Bl8gQXMwy3K70wkuyjS/8vAUXL5KvJS3M/s9PHgCdE9GxEZL6
D41Hp6M9MDswGgYDVR0RBBMwEYIJbG9jYWxob3N0hwR/AAABMB0GA1UdDgQWBBTs
nJUazH02+BTyWxChMMUzS6KrPDAKBggqhkjOPQQDAgNIADBFAiAoxTr0dEF2n1LE
XE9ofT8VT8bAtd39EeEFdz9fB5+KTgIhAMvotQzdL8DVXPOo/mL4+/ryVO64Xx65
H6Ay2dQG3oQC
-----END CERTIFICATE-----
`,
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgIvyHl7lmMi6WoZiy
2IotqhKA42yszx9tBT2Og3HRaHWhRANCAARF9XvFfX9YcZAryRDIDBx6mydP5tO/
3QGXyBBczDLcrvTCS7KNL/y8BRcvkq8lLcz+z08eAJ0T0bERkvoPjUen
-----END PRIVATE KEY-----
`,
};
