"""The claim pre-check: what the loaded reference data and the crowd say about a claim before it goes out."""
