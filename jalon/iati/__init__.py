"""IATI 2.03 activity XML for funders: one activity per action or per orientation,
checked against the official schema and codelists shipped in jalon/data/iati."""
