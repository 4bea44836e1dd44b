-- expect: DBG206
ALTER TABLE legacy_imports ADD PRIMARY KEY (id);
