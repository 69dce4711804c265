// Unit test of snn_delay: depths 0, 1, 2, 3 and 5, and a stall holding every stage.
`timescale 1ns / 1ps
module tb_snn_delay;
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg en = 1'b1;
    reg [7:0] d = 8'd0;
    wire [7:0] q0, q1, q2, q3, q5;
    snn_delay #(.WIDTH(8), .DEPTH(0)) z (.clk(clk), .en(en), .d(d), .q(q0));
    snn_delay #(.WIDTH(8), .DEPTH(1)) one (.clk(clk), .en(en), .d(d), .q(q1));
    snn_delay #(.WIDTH(8), .DEPTH(2)) two (.clk(clk), .en(en), .d(d), .q(q2));
    snn_delay #(.WIDTH(8), .DEPTH(3)) three (.clk(clk), .en(en), .d(d), .q(q3));
    snn_delay #(.WIDTH(8), .DEPTH(5)) five (.clk(clk), .en(en), .d(d), .q(q5));
    integer n, errors;
    initial begin
        errors = 0;
        for (n = 1; n <= 10; n = n + 1) begin
            d = n;
            #1;
            if (q0 !== n) begin errors = errors + 1; $display("FAIL depth 0"); end
            @(negedge clk);
            if (q1 !== n) begin errors = errors + 1; $display("FAIL depth 1 at %0d: %0d", n, q1); end
            if (n >= 2 && q2 !== n - 1) begin errors = errors + 1; $display("FAIL depth 2 at %0d: %0d", n, q2); end
            if (n >= 3 && q3 !== n - 2) begin errors = errors + 1; $display("FAIL depth 3 at %0d: %0d", n, q3); end
            if (n >= 5 && q5 !== n - 4) begin errors = errors + 1; $display("FAIL depth 5 at %0d: %0d", n, q5); end
        end
        en = 1'b0;
        d = 8'd99;
        repeat (4) @(negedge clk);
        if (q1 !== 10 || q3 !== 8 || q5 !== 6) begin errors = errors + 1; $display("FAIL stall: %0d %0d %0d", q1, q3, q5); end
        en = 1'b1;
        @(negedge clk);
        if (q1 !== 99 || q3 !== 9 || q5 !== 7) begin errors = errors + 1; $display("FAIL resume: %0d %0d %0d", q1, q3, q5); end
        if (errors == 0) $display("PASS snn_delay");
        $finish;
    end
endmodule
