"""Procurement as open data: the Open Contracting Data Standard (OCDS) 1.1.5, core schema only.

* ``loading`` reads live public projects with their live notices in batches (constant memory);
* ``builder`` turns one project into its releases: 采购意向 (planning), tender, tenderAmendment, award,
  tenderCancellation, contract;
* ``merge`` compiles releases into a ``compiledRelease`` by the OCDS merge rules;
* ``packages`` wraps them in release and record packages, and streams the bulk file;
* ``api`` serves them under /api/zfcg/ocds/ and the projects as plain JSON under /api/zfcg/projects.
"""
