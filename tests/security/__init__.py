"""Regression tests for the OWASP ASVS 5.0 Level 2 findings of issue 11.

Each test failed on the code before its fix. ASVS item -> test module:

- V6.4.3, V6.3.7 two-factor enrolment only without a device, or verified + password; changes
  e-mailed and logged; V6.4.x administrator reset; V6.5.x backup codes; V7.2.4 new session id
  after the second factor                                              -> test_two_factor
- V6.3.1 lock-out keyed on the client address behind trusted proxies, "15 minutes" and
  Retry-After; V6.2.2/V6.2.3 password change; V6.4.3 reset by e-mail keeps two-factor
                                                                       -> test_authentication
- V1.2.10 formula injection in every CSV / Excel export                 -> test_exports
- V5.2.3, V15.2.2 zip caps and the Excel "dimension bomb"              -> test_uploads
- V14.3.2 no-store; V7.3.2 absolute session lifetime; V3.3.1 __Host- cookies; V3.4.x headers
  on static files; V16.4.1 log injection                               -> test_sessions_and_headers
- V6.3.2 seed_demo refuses in production; V1.3.6 the PDF URL fetcher   -> test_production
- V2.4.1 per-user limit on board-pack requests                         -> test_packs_rate
"""
