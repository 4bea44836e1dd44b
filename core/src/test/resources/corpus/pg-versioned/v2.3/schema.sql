-- expect: none
-- full schema of version 2.3
CREATE TABLE shipments (
  shipment_id VARCHAR(40) NOT NULL PRIMARY KEY,
  note VARCHAR(200),
  weight_g INTEGER
);
