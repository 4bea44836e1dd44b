-- expect: DBG112
UPDATE users SET newsletter_opt_in = false WHERE true;
