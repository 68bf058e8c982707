"""The books in and out: what treasurers bring and what auditors take away.

- ``csv_import``: treasurers' spreadsheets into the ledger, all or nothing;
- ``exports``: CSV (re-importable), the raw event log (JSON lines), hledger;
- ``reports``: an organisation's year as the province prints it;
- ``figures``: numbers, money and dates written the Vietnamese way (or English).
"""
