// Unit test of snn_adder_tree: exact sums of N = 1, 3, 4 and 8 random values after as many
// clocks as the tree has registered levels (every second level, every level, only the last);
// `en` low freezes the registered levels.
`timescale 1ns / 1ps
module tb_snn_adder_tree;
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg en = 1'b1;
    reg [8*6-1:0] x;
    wire signed [5:0] s1;
    wire signed [7:0] s3, s4;
    wire signed [8:0] s8, s8_every, s8_last;
    snn_adder_tree #(.N(1), .IN_W(6), .LEVELS(0), .REGISTERED(0)) t1 (.clk(clk), .en(en), .x(x[5:0]), .sum(s1));
    snn_adder_tree #(.N(3), .IN_W(6), .LEVELS(2), .REGISTERED(2)) t3 (.clk(clk), .en(en), .x(x[17:0]), .sum(s3));
    snn_adder_tree #(.N(4), .IN_W(6), .LEVELS(2), .REGISTERED(2)) t4 (.clk(clk), .en(en), .x(x[23:0]), .sum(s4));
    snn_adder_tree #(.N(8), .IN_W(6), .LEVELS(3), .REGISTERED(6)) t8 (.clk(clk), .en(en), .x(x), .sum(s8));
    snn_adder_tree #(.N(8), .IN_W(6), .LEVELS(3), .REGISTERED(7)) t8_every (.clk(clk), .en(en), .x(x), .sum(s8_every));
    snn_adder_tree #(.N(8), .IN_W(6), .LEVELS(3), .REGISTERED(4)) t8_last (.clk(clk), .en(en), .x(x), .sum(s8_last));
    integer n, i, errors, seed;
    integer sum3 [0:3];
    integer sum4 [0:3];
    integer sum8 [0:3];
    function integer part(input integer k);
        part = $signed(x[6*k +: 6]);
    endfunction
    initial begin
        errors = 0;
        seed = 11;
        for (i = 0; i < 4; i = i + 1) begin sum3[i] = 0; sum4[i] = 0; sum8[i] = 0; end
        x = 0;
        @(negedge clk);
        for (n = 0; n < 200; n = n + 1) begin
            x = {$random(seed), $random(seed)};
            #1;
            if (s1 !== part(0)) begin errors = errors + 1; $display("FAIL N=1"); end
            for (i = 3; i > 0; i = i - 1) begin sum3[i] = sum3[i-1]; sum4[i] = sum4[i-1]; sum8[i] = sum8[i-1]; end
            sum3[0] = part(0) + part(1) + part(2);
            sum4[0] = sum3[0] + part(3);
            sum8[0] = sum4[0] + part(4) + part(5) + part(6) + part(7);
            @(negedge clk);
            // Latencies: N = 3, 4: 1 clock; N = 8: 2 clocks, 3 registering every level, 1
            // registering only the last.
            if (n >= 3 && (s3 !== sum3[0] || s4 !== sum4[0] || s8 !== sum8[1]
                           || s8_every !== sum8[2] || s8_last !== sum8[0])) begin
                errors = errors + 1;
                $display("FAIL step %0d: %0d %0d %0d %0d %0d, want %0d %0d %0d %0d %0d", n, s3, s4, s8,
                         s8_every, s8_last, sum3[0], sum4[0], sum8[1], sum8[2], sum8[0]);
            end
        end
        en = 1'b0;
        i = s8;
        x = ~x;
        repeat (3) @(negedge clk);
        if (s8 !== i) begin errors = errors + 1; $display("FAIL stall"); end
        if (errors == 0) $display("PASS snn_adder_tree");
        $finish;
    end
endmodule
