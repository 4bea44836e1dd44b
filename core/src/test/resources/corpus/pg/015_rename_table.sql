-- expect: DBG105
ALTER TABLE IF EXISTS public.user_profiles RENAME TO profiles;
