# expect: DBG102!
class RemoveSignupIpFromUsers < ActiveRecord::Migration[7.1]
  def change
    safety_assured { remove_column :users, :signup_ip, :inet }
  end
end
